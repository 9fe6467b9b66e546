import type { FieldValue } from '../catalogue/fields.js';
import type { TimelineEvent } from '../timeline/event.js';
import { addEvidence, evidenceOf, type Window, type WindowBook } from './window.js';

/** KRaft: brokers the controller fenced, and the controller quorum without a raft leader. */
export class KraftTracker {
  private readonly fencedWindows = new Map<string, Window>();
  /** The KRaft quorum leader last known and its epoch. */
  private raft: { leader: string; epoch: number } | undefined;
  private raftLeaderless: (Window & { epochBefore: number; leaderBefore: string }) | undefined;

  constructor(private readonly book: WindowBook) {}

  fenced(node: string, e: TimelineEvent): void {
    const open = this.fencedWindows.get(node);
    if (open) {
      addEvidence(open, evidenceOf(e));
      return;
    }
    const w = this.book.open({
      kind: 'broker-fenced', node, start: e.time, startBounds: [e.time, e.time], confidence: 'high',
      reason: 'the KRaft controller fenced it: its session timed out, so it led no partition and was out of every ISR',
    });
    addEvidence(w, evidenceOf(e));
    this.fencedWindows.set(node, w);
  }

  unfenced(node: string, e: TimelineEvent): void {
    const open = this.fencedWindows.get(node);
    if (!open || e.time < open.start) return;
    addEvidence(open, evidenceOf(e));
    this.book.close(open, e.time);
    this.fencedWindows.delete(node);
    this.book.retire(open);
  }

  /**
   * A node says who leads the KRaft quorum at an epoch (its own Leader state,
   * a Follower state, the active controller's activation). A leader at a
   * newer epoch ends a leaderless window; the same leader at the same epoch
   * means only the reporter had doubted it (a follower's pre-vote, a node
   * starting up), which is not a quorum without a leader.
   */
  leader(leader: FieldValue | undefined, epoch: number, e: TimelineEvent): void {
    if (!Number.isInteger(epoch)) return;
    const id = Number(leader);
    if (!Number.isInteger(id) || id < 0) {
      this.noLeader(epoch, e);
      return;
    }
    if (this.raft && epoch < this.raft.epoch) return;
    const node = `broker-${id}`;
    const open = this.raftLeaderless;
    if (open) {
      if (epoch > open.epochBefore || node !== open.leaderBefore) {
        addEvidence(open, evidenceOf(e));
        open.details.epochAfter = epoch;
        open.details.leaderAfter = id;
        open.reason = `${open.reason}; ${node} leads from epoch ${epoch}`;
        this.book.close(open, e.time);
        this.book.retire(open);
      } else {
        this.book.remove(open);
        for (const ev of open.evidence.filter((x) => x.time !== null && x.time >= open.start)) {
          this.book.falseAlarm(ev, `${node} still led the KRaft quorum at epoch ${epoch} afterwards: only the node reporting this doubted the leader (pre-vote, start-up), the quorum kept it`);
        }
      }
      this.raftLeaderless = undefined;
    }
    this.raft = { leader: node, epoch };
  }

  /** A node has no quorum leader at `epoch`: the quorum may have lost it. */
  noLeader(epoch: number, e: TimelineEvent): void {
    if (!Number.isInteger(epoch) || !this.raft || epoch < this.raft.epoch) return;
    if (this.raftLeaderless) {
      addEvidence(this.raftLeaderless, evidenceOf(e));
      return;
    }
    const { leader, epoch: epochBefore } = this.raft;
    const last = leader !== e.node ? this.book.lastSeen.get(leader) : undefined;
    const earliest = last && last.time <= e.time ? last.time : e.time;
    const w = this.book.open({
      kind: 'controller-quorum-leaderless', node: leader, start: e.time, startBounds: [earliest, e.time], confidence: 'medium',
      reason: leader === e.node
        ? `the KRaft controller quorum had no leader: its leader ${leader} (epoch ${epochBefore}) gave up leadership`
        : `the KRaft controller quorum had no leader: ${e.node} lost its leader ${leader} (epoch ${epochBefore}) and started an election`,
      details: { epochBefore, leaderBefore: Number(leader.slice('broker-'.length)) },
    });
    if (last) addEvidence(w, last.evidence);
    addEvidence(w, evidenceOf(e));
    this.raftLeaderless = Object.assign(w, { epochBefore, leaderBefore: leader });
  }

}
