import type { TimelineEvent } from '../../src/timeline/event.js';
import type { EventRun } from '../../src/timeline/run.js';

/**
 * A stand-in for a run of light records (timeline/run.ts) made of events:
 * what a consumer of the pass finds when fed it must be what it finds fed
 * its events one by one. Not cut (the merge's own test cuts runs).
 */
export class TestRun implements EventRun {
  readonly isRun = true;
  readonly rule = null;
  constructor(readonly items: TimelineEvent[]) {}
  get node(): string {
    return this.items[0]!.node;
  }
  get nodeKind() {
    return this.items[0]!.nodeKind;
  }
  get file(): string {
    return this.items[0]!.file;
  }
  get time(): number {
    return this.items[0]!.time;
  }
  get lastTime(): number {
    return this.items[this.items.length - 1]!.time;
  }
  get length(): number {
    return this.items.length;
  }
  timeAt(i: number): number {
    return this.items[i]!.time;
  }
  lineAt(i: number): number {
    return this.items[i]!.line;
  }
  eventAt(i: number): TimelineEvent {
    return this.items[i]!;
  }
  events(): TimelineEvent[] {
    return this.items;
  }
  takeBefore(): undefined {
    throw new Error('a test run is not cut');
  }
}

/**
 * Events as the pass's items: each unclassified event joins the run before
 * it when `joins(run, e)` (and the run is the last item), else starts one.
 */
export function asRuns(events: readonly TimelineEvent[], joins: (run: TestRun, e: TimelineEvent) => boolean): (TimelineEvent | TestRun)[] {
  const items: (TimelineEvent | TestRun)[] = [];
  for (const e of events) {
    const last = items[items.length - 1];
    if (e.rule === null && last instanceof TestRun && joins(last, e)) last.items.push(e);
    else items.push(e.rule === null ? new TestRun([e]) : e);
  }
  return items;
}
