import type { TimelineEvent } from '../timeline/event.js';
import { addEvidence, evidenceOf, type KeptLine, type WindowBook } from './window.js';

interface Election {
  time: number;
  broker: number;
  /** Its line, out of memory where the windows are spooled (WindowBook.keep). */
  line: KeptLine;
}

/**
 * The ZooKeeper-mode controller: which broker held it when, and how long the
 * cluster had none after its controller died, froze or was cut off (no
 * partition could change leader then) until the next election.
 */
export class ControllerTracker {
  private readonly elections: Election[] = [];
  /** Elections did not come in time order (lines of a file out of order): read from the start. */
  private unordered = false;

  constructor(private readonly book: WindowBook) {}

  elected(broker: number, e: TimelineEvent): void {
    const last = this.elections.at(-1);
    if (last && !(e.time >= last.time)) this.unordered = true;
    this.elections.push({ time: e.time, broker, line: this.book.keep(evidenceOf(e)) });
  }

  /**
   * Where the elections after `t` begin: the first one later than `t`, in
   * the order they came (by halving while they came in time order).
   */
  private firstAfter(t: number): number {
    const { elections } = this;
    if (this.unordered) {
      const i = elections.findIndex((x) => x.time > t);
      return i < 0 ? elections.length : i;
    }
    let lo = 0;
    let hi = elections.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (elections[mid]!.time > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** After the broker windows are final: one window per lost controller. */
  finish(): void {
    // Parked windows too (read back only for a window of the controller's).
    const gone = this.book.entries(['broker-down', 'broker-hung', 'isolated']).filter((w) => w.node?.startsWith('broker-'));
    for (const entry of gone) {
      const id = Number(entry.node!.slice('broker-'.length));
      // The controller at its start: the last election before the first one after it.
      const after = this.firstAfter(entry.start);
      if (this.elections[after - 1]?.broker !== id) continue;
      const next = this.elections[after];
      // With no later election in the logs there is no telling how long it lasted.
      if (!next) continue;
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
