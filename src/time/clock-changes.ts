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
 * change happens twice and both passes are read as the second; in spring the
 * skipped hour does not exist and a record stamped in it is read an hour
 * later. Neither can be told from the time alone: they are counted, to be said.
 */
export class ClockChanges {
  private readonly found = new Map<number, ClockChange>();

  constructor(private readonly zone: Zone) {}

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
    ? `the local hour ${span} happened twice; records stamped in it were all placed in its second pass, so those written in the first pass sit an hour late`
    : `local times ${span} did not exist; a record stamped in them was read as an hour later`;
  return `${zone.name} changed its clocks at ${zone.format(c.at)} (${formatOffset(c.fromOffset)} → ${formatOffset(c.toOffset)}): ${what}. ` +
    `${c.events} event(s) fall in the hour after the change: check their order by line number within each file.`;
}
