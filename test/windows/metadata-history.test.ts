import { describe, expect, it } from 'vitest';
import { MetadataHistory } from '../../src/windows/metadata-history.js';
import type { MetadataBatch, MetadataPayload, MetadataRecord } from '../../src/readers/metadata-log.js';
import type { Effect, Rule } from '../../src/catalogue/schema.js';
import type { FieldValue } from '../../src/catalogue/fields.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { WindowEngine } from '../../src/windows/engine.js';

const T0 = Date.UTC(2025, 5, 12, 10, 15, 0);
const s = (sec: number) => T0 + sec * 1000;

let line = 0;
function feed(h: MetadataHistory, sec: number, offset: number, epoch: number, payloads: MetadataPayload[], snapshot = false): void {
  line++;
  const batch: MetadataBatch = { baseOffset: offset, lastOffset: offset + payloads.length - 1, epoch, time: s(sec), isControl: false, file: 'dump.txt', line, snapshot };
  h.batch(batch);
  payloads.forEach((payload, i) => {
    const r: MetadataRecord = { payload, offset: offset + i, time: s(sec), epoch, file: 'dump.txt', line: ++line, batchLine: batch.line, snapshot, snapshotEndOffset: null };
    h.apply(r);
  });
}

const TOPIC = 'Qm3vTb9xR0aJZk2pL7wEyA';
const partition = (p: number, replicas: number[], leader: number): MetadataPayload => ({
  kind: 'partition', topicId: TOPIC, partition: p, replicas, isr: replicas, leader, leaderEpoch: 1, leaderRecoveryState: 0, elr: null, lastKnownElr: null,
});

function history(): MetadataHistory {
  const h = new MetadataHistory();
  feed(h, 0, 100, 5, [{ kind: 'topic', name: 'payments', topicId: TOPIC }, partition(0, [1, 2, 3], 2), partition(1, [2], 2)]);
  feed(h, 0.5, 103, 5, [{ kind: 'other', recordType: 'NO_OP_RECORD' }]);
  // Epoch 6: no batch for 2.5 s, then the new leader's.
  feed(h, 3, 104, 6, [{ kind: 'leader-change', leaderId: 3, voters: [1, 2, 3] }]);
  feed(h, 12, 105, 6, [
    { kind: 'broker-registration-change', broker: 2, brokerEpoch: 40, fenced: 1, inControlledShutdown: 0 },
    { kind: 'partition-change', topicId: TOPIC, partition: 0, isr: [1, 3], leader: 3 },
    { kind: 'partition-change', topicId: TOPIC, partition: 1, leader: -1 },
  ]);
  feed(h, 200, 108, 6, [
    { kind: 'broker-registration-change', broker: 2, brokerEpoch: 77, fenced: -1, inControlledShutdown: 0 },
    { kind: 'partition-change', topicId: TOPIC, partition: 1, leader: 2 },
  ]);
  feed(h, 202, 110, 6, [{ kind: 'partition-change', topicId: TOPIC, partition: 0, isr: [1, 3, 2] }]);
  return h;
}

describe('MetadataHistory', () => {
  it('keeps each partition\'s leader/ISR states with offsets, and the names of topics', () => {
    const h = history();
    h.finish();
    const p0 = [...h.partitions.values()].find((x) => x.partition === 0)!;
    expect(p0.topic).toBe('payments');
    expect(p0.states.map((x) => [x.offset, x.leader, x.isr])).toEqual([[101, 2, [1, 2, 3]], [106, 3, [1, 3]], [110, 3, [1, 3, 2]]]);
    expect(h.stateAt(p0, s(11))?.leader).toBe(2);
    expect(h.stateAt(p0, s(12))?.leader).toBe(3);
    expect(h.replicaAssignments().get('payments-1')?.replicas).toEqual([2]);
  });

  it('turns fencing, leader -1, ISR shrink and an epoch gap into windows with the dump lines as evidence', () => {
    const windows = history().finish();
    const subject = (w: (typeof windows)[number]) => w.node ?? (w.topic === undefined ? 'quorum' : `${w.topic}-${w.partition}`);
    const brief = windows.map((w) => [w.kind, subject(w), (w.start - T0) / 1000, w.end === null ? null : (w.end - T0) / 1000, w.startOffset, w.endOffset]);
    expect(brief).toEqual([
      ['controller-quorum-leaderless', 'quorum', 0.5, 3, 103, 104],
      ['broker-fenced', 'broker-2', 12, 200, 105, 108],
      ['under-replicated', 'payments-0', 12, 202, 106, 110],
      ['partition-offline', 'payments-1', 12, 200, 107, 109],
    ]);
    const leaderless = windows[0]!;
    expect(leaderless.details).toEqual({ epochBefore: 5, epochAfter: 6, leaderAfter: 3 });
    const offline = windows.find((w) => w.kind === 'partition-offline')!;
    expect(offline.evidence.map((e) => e.ruleId)).toEqual(['metadata.partition-change', 'metadata.partition-change']);
    expect(offline.evidence[0]!.text).toBe('__cluster_metadata offset 107 (epoch 6): PARTITION_CHANGE_RECORD payments-1 leader -1');
    expect(offline.details.leaderAfter).toBe(2);
  });

  it('skips records an overlapping dump already applied', () => {
    const h = history();
    feed(h, 202, 110, 6, [{ kind: 'partition-change', topicId: TOPIC, partition: 0, isr: [1] }]);
    expect(h.duplicates).toBe(1);
    expect(h.finish().filter((w) => w.kind === 'under-replicated')).toHaveLength(1);
  });
});

// The window engine's KRaft signals (rules reduced to their effects).
function rule(id: string, effect: Effect): Rule {
  return { id, title: id, category: 'controller', severity: 'info', appliesTo: ['kafka-broker'], loggers: ['*'], keyword: 'xxx', pattern: /x/, samples: ['x'], effect };
}
const R = {
  leader: rule('t.leader', { signal: 'raft-leader', leader: 'leader', epoch: 'epoch' }),
  election: rule('t.election', { signal: 'raft-leaderless', epoch: 'epoch' }),
  fenced: rule('t.fenced', { signal: 'broker-fenced', field: 'broker' }),
  unfenced: rule('t.unfenced', { signal: 'broker-unfenced', field: 'broker' }),
};
function ev(sec: number, node: string, r: Rule, fields: Record<string, FieldValue>): TimelineEvent {
  return { time: s(sec), node, nodeKind: 'kafka-broker', file: `${node}.log`, line: Math.round(sec * 10), rule: r, category: 'controller', severity: 'info', message: r.id, fields, continuation: [] };
}
function run(events: TimelineEvent[]) {
  const engine = new WindowEngine();
  for (const e of events) engine.push(e);
  return { windows: engine.finish(), falseAlarms: engine.falseAlarms };
}

describe('window engine: KRaft signals', () => {
  it('opens controller-quorum-leaderless when a follower loses the leader, closes it at a newer epoch', () => {
    const { windows } = run([
      ev(0, 'broker-2', R.leader, { leader: 2, epoch: 5 }),
      ev(1, 'broker-2', { ...R.leader, id: 't.routine', effect: undefined } as Rule, {}),
      ev(3, 'broker-1', R.election, { epoch: 5 }),
      ev(4, 'broker-3', R.leader, { leader: 3, epoch: 6 }),
    ]);
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ kind: 'controller-quorum-leaderless', node: 'broker-2', start: s(3), end: s(4), startBounds: [s(1), s(3)] });
    expect(windows[0]!.details).toMatchObject({ epochBefore: 5, epochAfter: 6, leaderAfter: 3 });
  });

  it('drops a doubt that ends with the same leader at the same epoch (pre-vote, start-up) as a false alarm', () => {
    const { windows, falseAlarms } = run([
      ev(0, 'broker-2', R.leader, { leader: 2, epoch: 5 }),
      ev(3, 'broker-1', R.election, { epoch: 5 }),
      ev(4, 'broker-1', R.leader, { leader: 2, epoch: 5 }),
    ]);
    expect(windows).toEqual([]);
    expect(falseAlarms.map((f) => f.line)).toEqual([30]);
  });

  it('ignores elections before any leader is known and stale epochs', () => {
    const { windows } = run([
      ev(0, 'broker-1', R.election, { epoch: 4 }),
      ev(1, 'broker-2', R.leader, { leader: 2, epoch: 6 }),
      ev(2, 'broker-3', R.election, { epoch: 5 }),
    ]);
    expect(windows).toEqual([]);
  });

  it('a fencing opens broker-fenced and broker-down; unfencing closes broker-fenced', () => {
    const { windows } = run([
      ev(0, 'broker-2', { ...R.leader, id: 't.routine', effect: undefined } as Rule, {}),
      ev(12, 'broker-3', R.fenced, { broker: 2 }),
      ev(200, 'broker-3', R.unfenced, { broker: 2 }),
    ]);
    expect(windows.map((w) => [w.kind, w.node, w.start, w.end])).toEqual([
      ['broker-down', 'broker-2', s(0), null],
      ['broker-fenced', 'broker-2', s(12), s(200)],
    ]);
  });
});
