import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeControl, decodePayload, looksLikeMetadataDump, MetadataLogReader, readMetadataDump, type MetadataBatch, type MetadataRecord,
} from '../../src/readers/metadata-log.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = resolve(repo, '../shared/corpus');
const pr12084 = resolve(corpus, 'apache-kafka-pr-excerpts/kafka-pr-12084-dumplog-kraft-snapshot.excerpt.txt');

function read(lines: string[]) {
  const records: MetadataRecord[] = [];
  const batches: MetadataBatch[] = [];
  const reader = new MetadataLogReader('dump.txt', (r) => records.push(r), (b) => batches.push(b));
  for (const l of lines) reader.push(l);
  reader.end();
  return { records, batches, counts: reader.counts };
}

function accounted(c: ReturnType<typeof read>['counts']): void {
  const d = c.dump;
  expect(d.linesRead).toBe(d.headers + d.batches + d.records + d.summaries + d.indexEntries + d.noise + d.wrapped + d.unrecognised);
  expect(d.records).toBe(c.decoded + c.control + c.undecodable + c.bare);
}

describe('decodePayload', () => {
  it('reads a PARTITION_CHANGE_RECORD: an absent leader is no change, -1 is no leader', () => {
    const moved = decodePayload('{"type":"PARTITION_CHANGE_RECORD","version":2,"data":{"partitionId":1,"topicId":"Qm3vTb9xR0aJZk2pL7wEyA","isr":[3,1],"leader":3}}');
    expect(moved).toEqual({ kind: 'partition-change', topicId: 'Qm3vTb9xR0aJZk2pL7wEyA', partition: 1, isr: [3, 1], leader: 3 });
    const shrunk = decodePayload('{"type":"PARTITION_CHANGE_RECORD","version":0,"data":{"partitionId":0,"topicId":"t","isr":[1,3]}}');
    expect(shrunk).not.toHaveProperty('leader');
    expect(decodePayload('{"type":"PARTITION_CHANGE_RECORD","version":0,"data":{"partitionId":0,"topicId":"t","leader":-1}}'))
      .toMatchObject({ leader: -1 });
    expect(decodePayload('{"type":"PARTITION_CHANGE_RECORD","version":2,"data":{"partitionId":0,"topicId":"t","leader":-2,"eligibleLeaderReplicas":[2]}}'))
      .toEqual({ kind: 'partition-change', topicId: 't', partition: 0, elr: [2] });
  });

  it('reads the broker records of 2.8 and of 3.3+ (fenced as int8 on the change record)', () => {
    // 2.8 README (kafka-dump-log on @metadata-0), then the 3.x+ forms.
    expect(decodePayload('{"type":"FENCE_BROKER_RECORD","version":0,"data":{"id":1,"epoch":0}}')).toEqual({ kind: 'fence-broker', broker: 1, brokerEpoch: 0 });
    expect(decodePayload('{"type":"UNFENCE_BROKER_RECORD","version":0,"data":{"id":1,"epoch":4}}')).toEqual({ kind: 'unfence-broker', broker: 1, brokerEpoch: 4 });
    expect(decodePayload('{"type":"BROKER_REGISTRATION_CHANGE_RECORD","version":0,"data":{"brokerId":4,"brokerEpoch":12,"fenced":-1}}'))
      .toEqual({ kind: 'broker-registration-change', broker: 4, brokerEpoch: 12, fenced: -1, inControlledShutdown: 0 });
    expect(decodePayload('{"type":"REGISTER_BROKER_RECORD","version":0,"data":{"brokerId":1,"incarnationId":"P3UFsWoNR-erL9PK98YLsA","brokerEpoch":0,"endPoints":[],"features":[],"rack":null}}'))
      .toMatchObject({ kind: 'register-broker', broker: 1, fenced: null });
    expect(decodePayload('{"type":"TOPIC_RECORD","version":0,"data":{"name":"orders","topicId":"ywkgJzfISRGP0UN2q1Y88A"}}'))
      .toEqual({ kind: 'topic', name: 'orders', topicId: 'ywkgJzfISRGP0UN2q1Y88A' });
    expect(decodePayload('{"type":"NO_OP_RECORD","version":0,"data":{}}')).toEqual({ kind: 'other', recordType: 'NO_OP_RECORD' });
  });

  it('keeps what it cannot decode as undecodable, with the reason', () => {
    expect(decodePayload('Error at 12, skipping. Unknown metadata id 99')).toMatchObject({ kind: 'undecodable' });
    expect(decodePayload('{"type":"TOPIC_RECORD","version":0,"data":{"na')).toEqual({ kind: 'undecodable', reason: 'payload is not JSON (cut or wrapped)' });
  });

  it('reads control records: LEADER_CHANGE with and without its JSON, snapshot header and footer', () => {
    expect(decodeControl('controlType: LEADER_CHANGE(2)')).toEqual({ kind: 'leader-change', leaderId: null, voters: null });
    expect(decodeControl('LeaderChange: {"version":0,"leaderId":3,"voters":[{"voterId":1},{"voterId":3}],"grantingVoters":[{"voterId":3}]}'))
      .toEqual({ kind: 'leader-change', leaderId: 3, voters: [1, 3] });
    expect(decodeControl('SnapshotHeader {"version":0,"lastContainedLogTimestamp":10000}')).toEqual({ kind: 'snapshot-header', lastContainedLogTimestamp: 10000 });
    expect(decodeControl('SnapshotFooter {"version":0}')).toEqual({ kind: 'snapshot-footer' });
  });
});

describe('MetadataLogReader', () => {
  const lines = [
    'Dumping /var/lib/kafka/data/__cluster_metadata-0/00000000000000002303.log',
    'Log starting offset: 2303',
    'baseOffset: 2403 lastOffset: 2403 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 6 isTransactional: false isControl: true deleteHorizonMs: OptionalLong.empty position: 7500 CreateTime: 1749723323014 size: 89 magic: 2 compresscodec: none crc: 1 isvalid: true',
    '| offset: 2403 CreateTime: 1749723323014 keySize: 4 valueSize: 19 sequence: -1 headerKeys: [] controlType: LEADER_CHANGE(2)',
    'baseOffset: 2404 lastOffset: 2405 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 6 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 7589 CreateTime: 1749723332109 size: 200 magic: 2 compresscodec: none crc: 2 isvalid: true',
    '| offset: 2404 CreateTime: 1749723332109 keySize: -1 valueSize: 40 sequence: -1 headerKeys: [] payload: {"type":"BROKER_REGISTRATION_CHANGE_RECORD","version":3,"data":{"brokerId":2,"brokerEpoch":1903,"fenced":1}}',
    '| offset: 2405 CreateTime: 1749723332109 keySize: -1 valueSize: 40 sequence: -1 headerKeys: [] payload: {"type":"PARTITION_CHANGE_RECORD","version":2,"data":{"partitionId":0,"topicId":"Xh4nF1cuS5eKoPq8rT2mVw","leader":-1}}',
    '| offset: 2406 CreateTime: 1749723332109 keySize: -1 valueSize: 40 sequence: -1 headerKeys: [] payload: Error at 2406, skipping. Unknown metadata id 99',
  ];

  it('types each record with its offset, batch time and raft epoch, and accounts for every line', () => {
    const { records, batches, counts } = read(lines);
    expect(batches.map((b) => [b.baseOffset, b.epoch, b.isControl])).toEqual([[2403, 6, true], [2404, 6, false]]);
    expect(records.map((r) => [r.offset, r.payload.kind, r.epoch, r.time, r.line])).toEqual([
      [2403, 'leader-change', 6, 1749723323014, 4],
      [2404, 'broker-registration-change', 6, 1749723332109, 6],
      [2405, 'partition-change', 6, 1749723332109, 7],
      [2406, 'undecodable', 6, 1749723332109, 8],
    ]);
    expect(records.every((r) => !r.snapshot)).toBe(true);
    expect(counts).toMatchObject({ decoded: 2, control: 1, undecodable: 1, bare: 0 });
    expect(counts.types).toEqual({ BROKER_REGISTRATION_CHANGE_RECORD: 1, PARTITION_CHANGE_RECORD: 1 });
    accounted(counts);
  });

  it('tells a metadata dump from a topic dump', () => {
    expect(looksLikeMetadataDump(lines)).toBe(true);
    expect(looksLikeMetadataDump([
      'Dumping /var/kafka/data/orders-0/00000000000000000000.log',
      '| offset: 0 CreateTime: 1680000000000 keySize: 3 valueSize: 5 sequence: 0 headerKeys: [] key: abc payload: {"type":"x"}',
    ])).toBe(false);
  });
});

describe('the KRaft snapshot dump of PR 12084 (corpus)', () => {
  it.skipIf(!existsSync(pr12084))('reads the snapshot header and accounts for every line', async () => {
    const records: MetadataRecord[] = [];
    const r = await readMetadataDump(pr12084, (x) => records.push(x));
    expect(r.error).toBeNull();
    // The command line, a blank, Dumping, Snapshot end offset, two batches, the header record,
    // and a record line cut off after `payload:` (the excerpt ends there): undecodable.
    expect(r.counts.dump).toMatchObject({ linesRead: 8, headers: 2, batches: 2, records: 2, noise: 2, unrecognised: 0 });
    expect(r.counts).toMatchObject({ control: 1, undecodable: 1, decoded: 0 });
    expect(records[0]).toMatchObject({ snapshot: true, snapshotEndOffset: 0, offset: 0, epoch: 0, payload: { kind: 'snapshot-header', lastContainedLogTimestamp: 10000 } });
    expect(r.counts.decoded + r.counts.control + r.counts.undecodable + r.counts.bare).toBe(r.counts.dump.records);
  });
});
