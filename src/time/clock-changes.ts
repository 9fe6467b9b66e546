import type { ClockNote } from '../readers/assembler.js';
import { printable } from '../sources/printable.js';
import { formatOffset, type Zone } from './zone.js';

const HOUR = 3_600_000;
const STEP = 15 * 60_000;

/** A change of the zone's clocks the logs span, and the events that fall in the hour after it. */
export interface ClockChange {
  /** The instant of the change (epoch ms). */
  at: number;
  fromOffset: number;
  toOffset: number;
  events: number;
}

/**
 * Events in the hour after a change of clocks (daylight saving time), where
 * log4j's zone-less timestamps are ambiguous: in autumn the hour before the
 * change happens twice (each file's reader tells the passes apart by the
 * clock going back: see RecordReader); in spring the skipped hour does not
 * exist and a record stamped in it is read an hour later. They are counted,
 * to be said; what each file did is in its ClockNote.
 */
export class ClockChanges {
  private readonly found = new Map<number, ClockChange>();

  constructor(private readonly zone: Zone) {}

  /**
   * Observes `count` times in order from `first` to `last` (`timeAt(i)`: the
   * i-th); none of them is looked at one by one when the zone's offset is
   * the same an hour before the first as at the last and they are within an
   * hour (no zone changes its clocks twice in two hours).
   */
  observeEach(first: number, last: number, count: number, timeAt: (i: number) => number): void {
    if (this.zone.name === 'UTC') return;
    if (last - first <= HOUR && this.zone.offsetAt(first - HOUR) === this.zone.offsetAt(last)) return;
    for (let i = 0; i < count; i++) this.observe(timeAt(i));
  }

  observe(time: number): void {
    if (this.zone.name === 'UTC') return;
    const now = this.zone.offsetAt(time);
    if (this.zone.offsetAt(time - HOUR) === now) return;
    // The change lies within the hour before: find its 15-minute step.
    let at = Math.floor(time / STEP) * STEP;
    while (this.zone.offsetAt(at - STEP) === now) at -= STEP;
    let change = this.found.get(at);
    if (!change) {
      change = { at, fromOffset: this.zone.offsetAt(at - STEP), toOffset: now, events: 0 };
      this.found.set(at, change);
    }
    change.events++;
  }

  list(): ClockChange[] {
    return [...this.found.values()].sort((a, b) => a.at - b.at);
  }
}

/** What a change of clocks means for the events placed after it, in words. */
export function describeClockChange(c: ClockChange, zone: Zone): string {
  const local = (offset: number) => new Date(c.at + offset * 60_000).toISOString().slice(11, 16);
  const [early, late] = [Math.min(c.fromOffset, c.toOffset), Math.max(c.fromOffset, c.toOffset)];
  const span = `${local(early)}–${local(late)} on ${new Date(c.at + early * 60_000).toISOString().slice(0, 10)}`;
  const what = c.toOffset < c.fromOffset
    ? `the local hour ${span} happened twice; within each file, records stamped in it were placed in its first pass until the clock went back, then in its second`
    : `local times ${span} did not exist; a record stamped in them was read as an hour later`;
  return `${zone.name} changed its clocks at ${zone.format(c.at)} (${formatOffset(c.fromOffset)} → ${formatOffset(c.toOffset)}): ${what}. ` +
    `${c.events} event(s) fall in the hour after the change: check their order by line number within each file.`;
}

/** A file's records in an ambiguous local hour, with where they were placed. */
export interface FileClockNote {
  file: string;
  note: ClockNote;
}

/** Naive time as the log stamped it: 2024-10-27 02:30:00 */
function stamped(naive: number): string {
  return new Date(naive).toISOString().slice(0, 19).replace('T', ' ');
}

/** What a file's records in an ambiguous local hour were taken to mean, in words (one sentence). */
export function describeClockNote({ file, note }: FileClockNote, zone: Zone): string {
  const a = note.ambiguity;
  const hour = `${stamped(a.from).slice(11, 16)}–${stamped(a.to).slice(11, 16)} on ${stamped(a.from).slice(0, 10)}`;
  const lines = note.firstLine === note.lastLine ? `line ${note.firstLine}` : `lines ${note.firstLine}–${note.lastLine}`;
  const where = `${printable(file)}:${note.firstLine}`;
  if (a.kind === 'skipped') {
    return `${where}: stamped ${stamped(note.firstNaive)}, a local time that did not exist in ${zone.name} (its clocks went from ${hour.slice(0, 5)} to ${hour.slice(6, 11)}); ` +
      `${note.records} record(s) of the file (${lines}) are stamped in that hour and were read with the offset before the change (${formatOffset(a.before)}), an hour later than they read. ` +
      `A log written in ${zone.name} has no such times: check --tz, or the writer's clock.`;
  }
  const passes = `first pass ${formatOffset(a.before)}, second ${formatOffset(a.after)}`;
  if (note.backAt !== undefined) {
    return `${where}: ${note.records} record(s) (${lines}) stamped in the local hour ${hour}, which ${zone.name} lived twice (${passes}): ` +
      `${note.firstPass} placed in the first pass, ${note.secondPass} in the second, from line ${note.backAt} on, where the clock went back ${minutesSeconds(note.backBy!)}.`;
  }
  const first = !(note.secondPass > 0 && note.firstPass === 0);
  return `${where}: ${note.records} record(s) (${lines}) stamped in the local hour ${hour}, which ${zone.name} lived twice (${passes}), ` +
    `were placed in its ${first ? 'first' : 'second'} pass: the file never goes back in time there, so it was silent during one of the passes, and which one its times cannot tell. ` +
    `If it was silent during the ${first ? 'first' : 'second'}, these records belong an hour ${first ? 'later' : 'earlier'}: check them against the other nodes' logs.`;
}

function minutesSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}
