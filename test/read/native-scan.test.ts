import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultClassifier } from '../../src/catalogue/index.js';
import type { LogRecord } from '../../src/model/record.js';
import { RecordReader, type Layout } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { zookeeperLayout } from '../../src/readers/zookeeper.js';
import { nativeScanners, nativeUnavailableReason } from '../../src/readers/native.js';
import { gzipSync } from 'node:zlib';
import { LineSplitter, MAX_LINE_BYTES, newLineStats, type LineStats } from '../../src/sources/lines.js';
import { Zone } from '../../src/time/zone.js';
import { KafkaGate, readKafkaBytes } from '../../src/read/kafka-fast.js';
import { anyLineArb, kafkaLineArb, PARAMS, TIMEOUT, zookeeperLineArb } from '../property/arbitraries.js';
import { tempDir } from '../helpers/tmp.js';

// The native scanner (native/kafka_scan.c) must decide exactly what the
// JavaScript byte path decides: the same records (text, time, line numbers,
// continuation), the same accounting, on every kind of line and across
// buffer boundaries.
const native = nativeScanners();
const kafkaLayout = kafkaLog4jLayout('kafka-broker');
const classifier = defaultClassifier();

async function readBoth(path: string, zone = 'Europe/Berlin', layout: Layout = kafkaLayout): Promise<{ js: unknown; c: unknown }> {
  const read = async (gate: KafkaGate) => {
    const reader = new RecordReader(layout, new Zone(zone));
    const stats = newLineStats();
    const records: LogRecord[] = [];
    const take = (r: LogRecord | undefined) => {
      if (r) records.push(r);
    };
    for await (const _ of readKafkaBytes(path, reader, gate, stats, take, () => true)) { /* read on */ }
    take(reader.end());
    return { records, counts: reader.counts, roles: [...reader.skippedRoles], myids: [...reader.skippedMyids].sort(), stats };
  };
  const js = new KafkaGate(layout, classifier, null);
  const c = new KafkaGate(layout, classifier, native);
  expect(js.native).toBeUndefined();
  expect(c.native).toBeDefined();
  return { js: await read(js), c: await read(c) };
}

const ts = (m: number, s: number) => `[2024-03-31 02:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')},149]`;
const LINES = [
  'SLF4J: Class path contains multiple SLF4J bindings.',
  `${ts(0, 1)} INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-1) (kafka.server.ReplicaFetcherManager)`,
  `${ts(0, 2)} INFO [Partition orders-3 broker=2] Log loaded for partition orders-3 (kafka.cluster.Partition)`,
  `${ts(0, 3)} INFO [Partition orders-1 broker=2] Shrinking ISR from 1,2,3 to 2,3 (kafka.cluster.Partition)`,
  `${ts(0, 4)} INFO [Partition orders-1 broker=2] Cached zkVersion 15 not equal to that in zookeeper, skip updating ISR (kafka.cluster.Partition)`,
  '\tat kafka.log.Log.roll(Log.scala:1)',
  `${ts(0, 5)} WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (kafka.server.ReplicaFetcherThread)`,
  'java.io.IOException: Connection to 1 was disconnected before the response was read',
  `${ts(0, 6)} INFO Some text without a logger on its line`,
  ' (kafka.server.ReplicaFetcherManager)',
  `${ts(0, 7)} INFO [KafkaServer id=2] started (kafka.server.KafkaServer)\r`,
  '[2024-02-30 07:47:06,149] INFO a bad day (kafka.server.KafkaServer)',
  `${ts(0, 8)} INFO Ünïcödé Truncating message (kafka.log.Log)`,
  `${ts(0, 9)} INFO nul\0 inside (kafka.controller.KafkaController)`,
  '[Configuring] a Docker entrypoint line',
  `${ts(0, 10)} INFO Connect line (org.apache.kafka.connect.runtime.Worker:123)`,
  `${ts(0, 11)} INFO bad colon (a:b)`,
  `${ts(0, 12)} INFO empty logger ()`,
  `${ts(0, 13)} NOTICE not a level (kafka.log.Log)`,
  `${ts(59, 59)} INFO [Controller id=2] Preferred replicas by broker Map() (kafka.controller.KafkaController)`,
  // 02:xx on 2024-03-31 does not exist in Berlin: the zone's conversion decides the order.
  `${ts(30, 0)} INFO earlier: out of order (kafka.log.Log)`,
  '',
  `${ts(30, 1)} INFO [GroupMetadataManager brokerId=2] Removed 0 expired offsets in 1 milliseconds. (kafka.coordinator.group.GroupMetadataManager)`,
  // Known loggers' names at a line's end where the scan back to the `(` finds another name or none (the scanner's tail cache).
  `${ts(30, 2)} INFO Truncating to 5 (a.kafka.log.Log)`,
  `${ts(30, 3)} INFO Truncating to 5 x(kafka.log.Log)`,
  `${ts(30, 4)} INFO Truncating to 5 (x(kafka.log.Log)`,
  `${ts(30, 5)} INFO (kafka.log.Log)`,
  `${ts(30, 6)} INFO  (kafka.log.Log)`,
  `${ts(30, 7)} INFO Truncating to 5 (Log)`,
  `${ts(30, 8)} INFO Truncating to 5 (kafka.log.Log)`,
  `${ts(30, 9)} INFO Connect again (org.apache.kafka.connect.runtime.Worker:123)`,
  `${ts(30, 10)} INFO Connect again (runtime.Worker:123)`,
  // The minute of the line before, with seconds that are no time (the scanner reads only the seconds of a minute it read).
  '[2024-03-31 02:30:61,149] INFO a 61st second (kafka.log.Log)',
  '[2024-03-31 02:30:60,149] INFO a leap second (kafka.log.Log)',
  '[2024-03-31 02:30:1x,149] INFO not a second (kafka.log.Log)',
  '[2024-03-31 02:30-11,149] INFO not a time (kafka.log.Log)',
  '[2024-03-31 02:30:11;149] INFO not a time (kafka.log.Log)',
  '[2024-03-31 02:30:11.14x] INFO not a time (kafka.log.Log)',
  '[2024-03-31T02:30:12.149] INFO another separator (kafka.log.Log)',
  '[2024-03-31T02:30:13,150] INFO the same minute (kafka.log.Log)',
];

describe.skipIf(!native)('native scanner', () => {
  const dir = tempDir();

  it('reads hostile lines exactly as the JavaScript byte path', async () => {
    const path = dir.write('hostile/server.log', Buffer.concat([
      Buffer.from(LINES.join('\n')), Buffer.from(`\n${ts(31, 0)} INFO caf\xe9 (kafka.log.Log)\nlast line without newline`, 'latin1'),
    ]));
    const { js, c } = await readBoth(path);
    expect((js as { counts: { linesRead: number } }).counts.linesRead).toBe(LINES.length + 2);
    expect(c).toEqual(js);
  });

  it('reads them the same way again once the scanner knows their loggers (a later buffer)', async () => {
    const filler = `${ts(31, 1)} INFO [Controller id=2] Preferred replicas by broker Map() (kafka.controller.KafkaController)\n`.repeat(12_000);
    const path = dir.write('hostile-twice/server.log', `${LINES.join('\n')}\n${filler}${LINES.join('\n')}\n`);
    const { js, c } = await readBoth(path);
    expect(c).toEqual(js);
  });

  it('numbers a line cut after a handover to the line splitter as the line splitter does (plain and gzip)', async () => {
    // Line 3 is longer than half a buffer: the rest of the file goes to a splitter while the ranges read ahead are not yet read.
    const long = `${ts(0, 3)} INFO ${'x'.repeat(MAX_LINE_BYTES + (1 << 20))} (kafka.server.KafkaServer)`;
    const text = [LINES[1], LINES[2], long, LINES[3], LINES[10], long, LINES[2]].join('\n');
    const expected = new LineSplitter();
    expected.push(Buffer.from(text));
    expected.end();
    expect(expected.stats.cutAt).toEqual([3, 6]);
    for (const path of [dir.write('cut/server.log', text), dir.write('cut-gz/server.log.gz', gzipSync(text))]) {
      const { js, c } = await readBoth(path, 'UTC');
      expect((js as { stats: LineStats }).stats.cutAt).toEqual([3, 6]);
      expect((c as { stats: LineStats }).stats.cutAt).toEqual([3, 6]);
      expect(c).toEqual(js);
    }
  });

  it('reads across buffers, and more lines than one scan holds, the same way', async () => {
    // ~3 MiB: short continuation lines (over 32768 in one 1 MiB buffer) between records of many loggers.
    const block: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      if (i % 1000 === 0) block.push(`${ts(i % 60, i % 60)} INFO [Partition orders-${i % 7} broker=2] Shrinking ISR from 1,2 to 2 (kafka.cluster.Partition)`);
      block.push(i % 3 === 0 ? `${ts(i % 60, (i >> 3) % 60)} INFO msg ${i} (kafka.logger${i % 50})` : '\tat x');
    }
    const path = dir.write('many/server.log', `${block.join('\n')}\n`.repeat(3));
    const { js, c } = await readBoth(path, 'UTC');
    expect(c).toEqual(js);
  });

  it('counts runs of skipped records as the JavaScript path counts them one by one (DST, out of order, stack traces)', async () => {
    // ~5 MB of naive times stepping across Berlin's spring-forward gap (02:00–03:00 does not exist),
    // with events dated ahead of the lines after them (those runs start out of order), stack traces and CRLF.
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const at = (ms: number) => {
      const d = new Date(Date.UTC(2024, 2, 31, 1, 40) + ms);
      return `[${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}]`;
    };
    const out: string[] = [];
    for (let i = 0; i < 45_000; i++) {
      const t = i * 100;
      // Most events in order; every seventh dated ahead (the run after it starts out of order).
      if (i % 700 === 0) out.push(`${at(i % 4900 === 0 ? t + 30_000 : t)} INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-${i % 9}) (kafka.server.ReplicaFetcherManager)`);
      out.push(`${at(t)} INFO [Log partition=orders-${i % 9}, dir=/data] Rolled new log segment at offset ${i} in 3 ms. (kafka.log.Log)${i % 11 === 0 ? '\r' : ''}`);
      if (i % 97 === 0) out.push('java.io.IOException: broken', '\tat kafka.log.Log.roll(Log.scala:1)');
      if (i % 333 === 0) out.push(`${at(t - 5_000)} INFO [GroupCoordinator 2]: late line (kafka.coordinator.group.GroupCoordinator)`);
    }
    const path = dir.write('runs/server.log', `${out.join('\n')}\n`);
    for (const zone of ['Europe/Berlin', 'UTC', 'Asia/Seoul']) {
      const { js, c } = await readBoth(path, zone);
      expect((js as { counts: { outOfOrder: number } }).counts.outOfOrder, zone).toBeGreaterThan(100);
      expect(c, zone).toEqual(js);
    }
  });

  it('agrees with the JavaScript byte path on random files', async () => {
    const lines = fc.array(anyLineArb(kafkaLineArb, zookeeperLineArb), { maxLength: 60 });
    await fc.assert(fc.asyncProperty(lines, async (ls) => {
      const path = dir.write('random/server.log', ls.join('\n'));
      const { js, c } = await readBoth(path);
      expect(c).toEqual(js);
    }), { ...PARAMS, numRuns: Math.min(PARAMS.numRuns ?? 200, 200) });
  }, TIMEOUT);
});

// ZooKeeper's native layout: the same, with each record's `[myid:N]` (its node) kept through runs.
const zt = (m: number, s: number, ms = 149) => `2024-03-31 02:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')},${String(ms).padStart(3, '0')}`;
const ZK_LINES = [
  'SLF4J: Class path contains multiple SLF4J bindings.',
  `${zt(0, 1)} [myid:1] - INFO  [main:QuorumPeerMain@132] - Starting quorum peer`,
  `${zt(0, 2)} [myid:1] - WARN  [QuorumPeer[myid=1](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.Follower@128] - Exception when following the leader`,
  'java.io.EOFException: null',
  '\tat java.base/java.io.DataInputStream.readInt(DataInputStream.java:398)',
  `${zt(0, 3)} [myid:1] - WARN  [LearnerHandler-/10.0.0.12:48012:LearnerHandler@646] - ******* GOODBYE /10.0.0.12:48012 ********`,
  `${zt(0, 4)} [myid:1] - INFO  [NIOWorkerThread-1:NIOServerCnxn@100] - Processing srvr command from /10.0.0.3:41234`,
  `${zt(0, 5)} [myid:1] - WARN  [NIOWorkerThread-1:NIOServerCnxn@373] - Close of session 0x0`,
  'java.io.IOException: ZooKeeperServer not running',
  `${zt(0, 5)} [myid:1] - INFO  [NIOWorkerThread-2:NIOServerCnxn@518] - Unable to read additional data from client, it probably closed the socket: address = /10.0.0.9:51234, session = 0x10000a1b2c0004`,
  `${zt(0, 6)} [myid:1] - WARN  [NIOWorkerThread-3:NIOServerCnxn@373] - Unexpected exception`,
  'EndOfStreamException: Unable to read additional data from client, it probably closed the socket: address = /10.0.0.9:51235, session = 0x10000a1b2c0005',
  `${zt(0, 7)} [myid:] - INFO  [main:DatadirCleanupManager@78] - autopurge.snapRetainCount set to 3`,
  `${zt(0, 7)} - INFO  [main:DatadirCleanupManager@79] - legacy, without [myid:]`,
  `${zt(0, 8)} [myid:10.0.0.7:2181] - INFO  [NIOWorkerThread-2:NIOServerCnxn@100] - a client's address in the myid slot`,
  `${zt(0, 8)} [myid:1] - TRACE [main:QuorumPeerMain@123][ndc] - traced`,
  `${zt(0, 9)} [myid:1] - INFO  [pool [a] - b:NIOServerCnxn@100] - thread holding a separator`,
  `${zt(0, 9)} [myid:1] - INFO  [main] - no class in the brackets`,
  '2024-02-30 07:47:11,149 [myid:1] - INFO  [main:QuorumPeer@1] - a bad day',
  '2024-03-31 02:00',
  `${zt(0, 10)} [myid:2] - INFO  [main:ZooKeeperServer@100] - Ünïcödé message`,
  `${zt(0, 10)} [myid:2] - INFO  [main:ZooKeeperServer@100] - nul\0 inside`,
  '[Configuring] a Docker entrypoint line',
  `${zt(0, 11)} [myid:3] - INFO  [main:FileTxnSnapLog@404] - Snapshotting: 0x0 to /data/version-2/snapshot.0`,
  `${zt(0, 1)} [myid:3] - INFO  [main:FileTxnSnapLog@404] - earlier: out of order`,
  `${zt(0, 12)} [myid:1] - INFO  [SessionTracker:ZooKeeperServer@610] - Expiring session 0x10000a1b2c0000, timeout of 18000ms exceeded`,
];

describe.skipIf(!native)('native ZooKeeper scanner', () => {
  const dir = tempDir();

  it('reads hostile lines exactly as the JavaScript byte path, twice (the second time with its classes known)', async () => {
    const filler = `${zt(1, 1)} [myid:1] - INFO  [SyncThread:1:FileTxnLog@284] - Creating new log file: log.300000001\n`.repeat(12_000);
    const path = dir.write('zk-hostile/zookeeper.log', Buffer.concat([
      Buffer.from(`${ZK_LINES.join('\n')}\n${filler}${ZK_LINES.join('\n')}\n`),
      Buffer.from(`${zt(2, 0)} [myid:1] - INFO  [caf\xe9:ZooKeeperServer@100] - latin1\nlast line without newline`, 'latin1'),
    ]));
    const { js, c } = await readBoth(path, 'UTC', zookeeperLayout);
    expect((js as { counts: { linesRead: number } }).counts.linesRead).toBe(2 * ZK_LINES.length + 12_002);
    expect(c).toEqual(js);
  });

  it('counts runs of several servers\' skipped records as the JavaScript path counts them one by one', async () => {
    // Concatenated servers' output: runs must not mix two servers (each names its node); DST, out of order, stack traces, CRLF.
    const out: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const myid = i % 500 < 300 ? 1 : i % 500 < 450 ? 2 : 3;
      const t = i * 60;
      const m = Math.floor(t / 60_000) % 60;
      const s = Math.floor(t / 1000) % 60;
      out.push(`${zt(m, s, t % 1000)} [myid:${myid}] - INFO  [SyncThread:${myid}:FileTxnLog@284] - Creating new log file: log.${i}${i % 11 === 0 ? '\r' : ''}`);
      if (i % 97 === 0) out.push('java.io.IOException: broken', '\tat org.apache.zookeeper.server.SyncRequestProcessor.run(SyncRequestProcessor.java:1)');
      if (i % 333 === 0) out.push(`${zt(m, Math.max(0, s - 5))} [myid:${myid}] - INFO  [main:FileTxnSnapLog@404] - late line`);
      if (i % 700 === 0) out.push(`${zt(m, s)} [myid:${myid}] - INFO  [SessionTracker:ZooKeeperServer@610] - Expiring session 0x${i.toString(16)}, timeout of 18000ms exceeded`);
      if (i % 900 === 0) out.push(`${zt(m, s)} [myid:${myid}] - INFO  [NIOWorkerThread-1:NIOServerCnxn@518] - Unable to read additional data from client, it probably closed the socket: address = /10.0.0.9:5, session = 0x${i.toString(16)}`);
    }
    const path = dir.write('zk-runs/zookeeper.log', `${out.join('\n')}\n`);
    for (const zone of ['Europe/Berlin', 'UTC']) {
      const { js, c } = await readBoth(path, zone, zookeeperLayout);
      expect((js as { myids: string[] }).myids, zone).toEqual(['1', '2', '3']);
      expect((js as { counts: { outOfOrder: number } }).counts.outOfOrder, zone).toBeGreaterThan(100);
      expect(c, zone).toEqual(js);
    }
  });

  it('agrees with the JavaScript byte path on random files', async () => {
    const fixed = fc.constantFrom(...ZK_LINES);
    const lines = fc.array(fc.oneof({ weight: 3, arbitrary: anyLineArb(zookeeperLineArb, kafkaLineArb) }, { weight: 2, arbitrary: fixed }), { maxLength: 60 });
    await fc.assert(fc.asyncProperty(lines, async (ls) => {
      const path = dir.write('zk-random/zookeeper.log', ls.join('\n'));
      const { js, c } = await readBoth(path, 'UTC', zookeeperLayout);
      expect(c).toEqual(js);
    }), { ...PARAMS, numRuns: Math.min(PARAMS.numRuns ?? 200, 200) });
  }, TIMEOUT);
});

describe('native scanner build', () => {
  it.runIf(process.env.KF_REQUIRE_NATIVE === '1')('is built and loaded (KF_REQUIRE_NATIVE=1)', () => {
    expect(nativeUnavailableReason()).toBeUndefined();
  });
});
