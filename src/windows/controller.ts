import type { TimelineEvent } from '../timeline/event.js';
import { addEvidence, evidenceOf, type Evidence, type WindowBook } from './window.js';

interface Election {
  time: number;
  broker: number;
  evidence: Evidence;
}

/**
 * The ZooKeeper-mode controller: which broker held it when, and how long the
 * cluster had none after its controller died, froze or was cut off (no
 * partition could change leader then) until the next election.
 */
export class ControllerTracker {
  private readonly elections: Election[] = [];

  constructor(private readonly book: WindowBook) {}

  elected(broker: number, e: TimelineEvent): void {
    this.elections.push({ time: e.time, broker, evidence: evidenceOf(e) });
  }

  private controllerAt(t: number): number | undefined {
    let at: number | undefined;
    for (const x of this.elections) {
      if (x.time > t) break;
      at = x.broker;
    }
    return at;
  }

  /** After the broker windows are final: one window per lost controller. */
  finish(): void {
    const gone = this.book.windows.filter((w) => (w.kind === 'broker-down' || w.kind === 'broker-hung' || w.kind === 'isolated') && w.node?.startsWith('broker-'));
    for (const down of gone) {
      const id = Number(down.node!.slice('broker-'.length));
      if (this.controllerAt(down.start) !== id) continue;
      const next = this.elections.find((x) => x.time > down.start);
      // With no later election in the logs there is no telling how long it lasted.
      if (!next) continue;
      const w = this.book.open({
        kind: 'controller-unavailable', node: down.node, start: down.start, startBounds: down.startBounds,
        ...(down.startSource && { startSource: down.startSource }),
        confidence: down.confidence,
        reason: `the controller, ${down.node}, ${down.kind === 'broker-hung' ? 'froze' : down.kind === 'isolated' ? 'was cut off' : 'went down'}: no leader could be elected for any partition until broker ${next.broker} became the controller`,
        details: { controllerBefore: id, controllerAfter: next.broker },
      });
      this.book.close(w, next.time, next.time, { how: `broker ${next.broker} was elected controller`, evidence: next.evidence });
      for (const ev of down.evidence.slice(0, 3)) addEvidence(w, ev);
      addEvidence(w, next.evidence);
      // No step after this one reads or changes a controller's window.
      this.book.retire(w);
    }
  }
}
