import { Spool } from './item-spool.js';
import { StringTable } from './temp-bytes.js';
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
  private readonly spool: Spool<FalseAlarm> | undefined;
  /** Strings that repeat from line to line (a file's name, a rule's id, the reason), by number. */
  private readonly strings = new StringTable();

  constructor(spooled: boolean) {
    if (!spooled) {
      this.held = [];
      return;
    }
    const names = this.strings.list;
    const name = (s: string) => this.strings.number(s);
    this.spool = new Spool<FalseAlarm>(
      (f): Stored => [name(f.file), kept(f.line), f.time === null ? null : kept(f.time), f.ruleId === null ? -1 : name(f.ruleId), f.text, name(f.why)],
      (json) => {
        const [file, line, time, rule, text, why] = json as Stored;
        return { file: names[file]!, line: back(line), time: time === null ? null : back(time), ruleId: rule < 0 ? null : names[rule]!, text, why: names[why]! };
      },
    );
  }

  get length(): number {
    return this.held ? this.held.length : this.spool!.length;
  }

  push(f: FalseAlarm): void {
    if (this.held) this.held.push(f);
    else this.spool!.push(f);
  }

  [Symbol.iterator](): Iterator<FalseAlarm> {
    return (this.held ?? this.spool!)[Symbol.iterator]();
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
