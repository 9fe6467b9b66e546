import type { TimelineEvent } from '../timeline/event.js';
import { addEvidence, evidenceOf, type Evidence, type Window, type WindowBook } from './window.js';

/** An I/O error this long before a dir goes offline is what took it offline. */
const CAUSE_MS = 60_000;

/**
 * Log directories gone offline on a live broker (a full disk, an I/O error):
 * the broker keeps running, but every replica in that directory is gone
 * until it restarts; the partitions it led there lose their leader.
 */
export class StorageTracker {
  private readonly lastError = new Map<string, Evidence>();
  /** Per node, its directories offline now. */
  private readonly offline = new Map<string, Map<string, Window>>();

  constructor(private readonly book: WindowBook) {}

  error(e: TimelineEvent): void {
    this.lastError.set(e.node, evidenceOf(e));
    for (const open of this.offline.get(e.node)?.values() ?? []) addEvidence(open, evidenceOf(e));
  }

  dirOffline(dir: string, e: TimelineEvent): void {
    const dirs = this.offline.get(e.node) ?? new Map<string, Window>();
    this.offline.set(e.node, dirs);
    const open = dirs.get(dir);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    const cause = this.lastError.get(e.node);
    const caused = cause && cause.time !== null && e.time - cause.time <= CAUSE_MS ? cause : undefined;
    const w = this.book.open({
      kind: 'log-dir-offline', node: e.node, start: caused?.time ?? e.time, startBounds: [caused?.time ?? e.time, e.time],
      startSource: caused
        ? { how: 'the I/O error that took the directory offline', evidence: caused }
        : { how: 'the broker stopped serving the directory', evidence: evidenceOf(e) },
      confidence: 'high',
      reason: `the broker stopped serving log directory ${dir} after an I/O error (a full disk or a failing device): its replicas there were gone until a restart, while the broker ran on`,
      details: { dir },
    });
    if (caused) addEvidence(w, caused);
    addEvidence(w, evidenceOf(e));
    dirs.set(dir, w);
  }

  /** The broker restarting (or stopping) brings its directories back or ends the story. */
  restarted(e: TimelineEvent): void {
    for (const w of this.offline.get(e.node)?.values() ?? []) {
      addEvidence(w, evidenceOf(e));
      this.book.close(w, e.time, e.time, { how: 'the broker stopped or restarted (an offline log directory stays offline until then)', evidence: evidenceOf(e) });
    }
    this.offline.delete(e.node);
  }
}
