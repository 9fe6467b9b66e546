import { StringTable, TempBytes } from './temp-bytes.js';
import type { FalseAlarm } from './window.js';

/**
 * The lines judged false alarms, in the order they were judged. Held in
 * memory, or (`spooled`) out of it: written to a temporary file as they
 * come and read back, one at a time, each time the list is read (an
 * event-dense log of a gibibyte has 60,000 of them, ~20 MB held to the end
 * of the pass, and as much again as JSON where a document was made of them
 * all at once).
 */
export class FalseAlarmList implements Iterable<FalseAlarm> {
  private readonly held: FalseAlarm[] | undefined;
  private readonly bytes: TempBytes | undefined;
  private count = 0;
  /** Strings that repeat from line to line (a file's name, a rule's id, the reason), by number. */
  private readonly strings = new StringTable();
  private readonly names = this.strings.list;

  constructor(spooled: boolean) {
    if (spooled) this.bytes = new TempBytes('false-alarms');
    else this.held = [];
  }

  get length(): number {
    return this.count;
  }

  push(f: FalseAlarm): void {
    this.count++;
    if (this.held) {
      this.held.push(f);
      return;
    }
    // One line of JSON each (JSON escapes a line break in a string: a line is one record).
    const record: Stored = [this.name(f.file), kept(f.line), f.time === null ? null : kept(f.time), f.ruleId === null ? -1 : this.name(f.ruleId), f.text, this.name(f.why)];
    this.bytes!.append(`${JSON.stringify(record)}\n`);
  }

  *[Symbol.iterator](): Iterator<FalseAlarm> {
    if (this.held) {
      yield* this.held;
      return;
    }
    const bytes = this.bytes!;
    const { names } = this;
    const end = bytes.size;
    let at = 0;
    let most = 1 << 16;
    while (at < end) {
      const chunk = bytes.bytes(at, most);
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        if (chunk.length < most) throw new Error('internal: the false alarms\' temporary file holds a line cut short');
        // A line longer than what was read: read more at once.
        most *= 2;
        continue;
      }
      const text = chunk.toString('utf8', 0, last);
      at += last + 1;
      for (const line of text.split('\n')) {
        const [file, lineNo, time, rule, said, why] = JSON.parse(line) as Stored;
        yield { file: names[file]!, line: back(lineNo), time: time === null ? null : back(time), ruleId: rule < 0 ? null : names[rule]!, text: said, why: names[why]! };
      }
    }
  }

  private name(s: string): number {
    return this.strings.number(s);
  }
}

/** A number as JSON keeps it: one not finite (which JSON makes null) as its text. */
function kept(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

function back(n: number | string): number {
  return typeof n === 'string' ? Number(n) : n;
}

/** A false alarm spooled: file, line, time, rule id (-1: none), text, why; strings that repeat by their number. */
type Stored = [number, number | string, number | string | null, number, string, number];
