import type { NodeKind } from '../model/record.js';
import type { TimelineEvent } from './event.js';
import type { Divisible } from './merge.js';

/**
 * Consecutive unclassified records of one file and one node, none earlier
 * than the one before, carried through the pass as one item (read/light.ts's
 * LightRun): most of a log's lines are such records, and most consumers
 * need nothing of them or only their first and last. A consumer that needs
 * each one makes them events (`eventAt`, `events`), the very events the
 * reading would otherwise have made; the merge cuts a run where another
 * stream's event falls among its records (Divisible).
 */
export interface EventRun extends Divisible {
  /** Marks a run among a pass's items (an event has no such property). */
  readonly isRun: true;
  readonly rule: null;
  readonly node: string;
  readonly nodeKind: NodeKind;
  readonly file: string;
  /** The first record's time; `lastTime`, the last one's. */
  readonly time: number;
  readonly length: number;
  timeAt(i: number): number;
  lineAt(i: number): number;
  eventAt(i: number): TimelineEvent;
  events(): Iterable<TimelineEvent>;
}

/** An item of the pass: an event, or a run of unclassified records standing for one event each. */
export type PassItem = TimelineEvent | EventRun;

export function isRun(item: PassItem): item is EventRun {
  return (item as Partial<EventRun>).isRun === true;
}

/** The events of a pass's item, a run's made one by one (for a consumer that needs each record). */
export function eventsOf(item: PassItem): Iterable<TimelineEvent> {
  return isRun(item) ? item.events() : [item];
}
