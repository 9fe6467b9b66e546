import type { TimelineEvent } from '../timeline/event.js';
import { addEvidence, evidenceOf, type WindowBook } from './window.js';

/**
 * The ZooKeeper-mode controller: which broker held it when, and how long the
 * cluster had none after its controller died, froze or was cut off (no
 * partition could change leader then) until the next election.
 */
export class ControllerTracker {
  /**
   * The elections, in the order they came: when, the broker elected, and
   * its line (WindowBook.keep's number: out of memory where the windows are
   * spooled), in lists of numbers (tens of thousands in a long event-dense
   * log: an object each was ~150 bytes).
   */
  private readonly times: number[] = [];
  private readonly brokers: number[] = [];
  private readonly lines: number[] = [];
  /** Elections did not come in time order (lines of a file out of order): read from the start. */
  private unordered = false;

  constructor(private readonly book: WindowBook) {}

  elected(broker: number, e: TimelineEvent): void {
    const { times } = this;
    if (times.length > 0 && !(e.time >= times[times.length - 1]!)) this.unordered = true;
    times.push(e.time);
    this.brokers.push(broker);
    this.lines.push(this.book.keep(evidenceOf(e)));
  }

  /**
   * Where the elections after `t` begin: the first one later than `t`, in
   * the order they came (by halving while they came in time order).
   */
  private firstAfter(t: number): number {
    const { times } = this;
    if (this.unordered) {
      const i = times.findIndex((x) => x > t);
      return i < 0 ? times.length : i;
    }
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** After the broker windows are final: one window per lost controller. */
  finish(): void {
    // Parked windows too (read back only for a window of the controller's).
    const { times, brokers, lines } = this;
    for (const entry of this.book.entries(['broker-down', 'broker-hung', 'isolated'])) {
      if (!entry.node?.startsWith('broker-')) continue;
      const id = Number(entry.node.slice('broker-'.length));
      // The controller at its start: the last election before the first one after it.
      const after = this.firstAfter(entry.start);
      if (after === 0 || brokers[after - 1] !== id) continue;
      // With no later election in the logs there is no telling how long it lasted.
      if (after >= times.length) continue;
      const next = { time: times[after]!, broker: brokers[after]!, line: lines[after]! };
      const down = this.book.full(entry);
      const w = this.book.open({
        kind: 'controller-unavailable', node: down.node, start: down.start, startBounds: down.startBounds,
        ...(down.startSource && { startSource: down.startSource }),
        confidence: down.confidence,
        reason: `the controller, ${down.node}, ${down.kind === 'broker-hung' ? 'froze' : down.kind === 'isolated' ? 'was cut off' : 'went down'}: no leader could be elected for any partition until broker ${next.broker} became the controller`,
        details: { controllerBefore: id, controllerAfter: next.broker },
      });
      const elected = this.book.cite(next.line);
      this.book.close(w, next.time, next.time, { how: `broker ${next.broker} was elected controller`, evidence: elected });
      for (const ev of down.evidence.slice(0, 3)) addEvidence(w, ev);
      addEvidence(w, elected);
      // No step after this one reads or changes a controller's window.
      this.book.retire(w);
    }
  }
}
