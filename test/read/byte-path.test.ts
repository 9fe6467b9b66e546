import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunkFor } from '../../src/sources/fast-lines.js';
import { readFamily, type FamilyRead } from '../helpers/read.js';
import { tempDir } from '../helpers/tmp.js';

// The byte-level path (plain files, and .gz through gunzip) must give exactly
// what the LineSplitter path gives: the same events, fields, line numbers and
// accounting, on the lines that make it take its detours.
const ts = (s: number) => `[2024-02-23 07:47:${String(s).padStart(2, '0')},149]`;
const LINES = [
  'SLF4J: Class path contains multiple SLF4J bindings.',
  `${ts(1)} INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-1) (kafka.server.ReplicaFetcherManager)`,
  `${ts(2)} INFO [Log partition=orders-3, dir=/data] Rolled new log segment at offset 7 in 3 ms. (kafka.log.Log)`,
  '\tat kafka.log.Log.roll(Log.scala:1)',
  `${ts(3)} WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (type=FetchRequest) (kafka.server.ReplicaFetcherThread)`,
  'java.io.IOException: Connection to 1 was disconnected before the response was read',
  '\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)',
  `${ts(4)} INFO Some text without a logger on its line`,
  ' (kafka.server.ReplicaFetcherManager)',
  `${ts(5)} INFO [Partition orders-1 broker=2] Shrinking ISR from 1,2,3 to 2,3. Leader: (highWatermark: 1). Out of sync replicas: (brokerId: 1). (kafka.cluster.Partition)\r`,
  `[2024-02-30 07:47:06,149] INFO a bad day (kafka.server.KafkaServer)`,
  `${ts(6)} INFO Ünïcödé message, latin1 next (kafka.log.Log)`,
  Buffer.from(`${ts(7)} INFO caf\xe9 (kafka.server.ReplicaFetcherManager)`, 'latin1'),
  `${ts(8)} INFO nul\0 inside (kafka.controller.KafkaController)`,
  '[Configuring] a Docker entrypoint line',
  `${ts(9)} INFO Connect line (org.apache.kafka.connect.runtime.Worker:123)`,
  `${ts(10)} INFO x${'y'.repeat(700_000)} (kafka.log.Log)`,
  `${ts(11)} INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-2) (kafka.server.ReplicaFetcherManager)`,
  `${ts(3)} INFO earlier: out of order (kafka.log.Log)`,
  `${ts(12)} INFO [GroupMetadataManager brokerId=2] Removed 0 expired offsets in 1 milliseconds. (kafka.coordinator.group.GroupMetadataManager)`,
];

function fileBytes(lines = LINES): Buffer {
  const parts = lines.map((l) => (typeof l === 'string' ? Buffer.from(`${l}\n`, 'utf8') : Buffer.concat([l, Buffer.from('\n')])));
  // The last line without its newline.
  const all = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ...parts]);
  return all.subarray(0, all.length - 1);
}

function read(path: string, textOnly = false, chunk?: number): Promise<FamilyRead> {
  return readFamily({
    key: 'broker',
    files: [{ path, size: 0, kind: 'kafka-server', zookeeperServer: false, kafka: true }],
    nodes: { 'kafka-broker': 'broker-2', zookeeper: 'zk-2' },
    defaultRole: 'kafka-broker',
  }, textOnly, chunk);
}

describe('buffer size by files open at once', () => {
  it('keeps 1 MiB buffers for a few families and shares ~8 MiB among many, down to 64 KiB', () => {
    expect(chunkFor(1)).toBe(1 << 20);
    expect(chunkFor(8)).toBe(1 << 20);
    expect(chunkFor(9)).toBe(512 << 10);
    expect(chunkFor(65)).toBe(64 << 10);
    expect(chunkFor(1000)).toBe(64 << 10);
  });
});

describe('byte-level reading of plain files', () => {
  const dir = tempDir();
  const bytes = fileBytes();
  const plain = dir.write('plain/server.log', bytes);
  const gz = dir.write('gz/server.log.gz', gzipSync(bytes));

  it('gives the same events and accounting as the line splitter', async () => {
    const slow = await read(plain, true);
    expect(slow.events.map((e) => e.rule?.id)).toContain('kafka.fetcher.removed');
    expect(slow.inputs[0]!.linesRead).toBe(LINES.length);
    expect(slow.inputs[0]!.outOfOrder).toBe(1);
    for (const path of [plain, gz]) {
      const fast = await read(path);
      expect(fast.events).toEqual(slow.events);
      expect(fast.inputs).toEqual(slow.inputs);
    }
    expect(await read(gz, true)).toEqual(slow);
  });

  it('reads a truncated .gz up to the damage, as the line splitter does', async () => {
    const whole = gzipSync(Buffer.concat(Array.from({ length: 400 }, () => bytes)));
    const cut = dir.write('cut/server.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const fast = await read(cut);
    const slow = await read(cut, true);
    expect(slow.inputs[0]!.error).toBeTruthy();
    expect(slow.inputs[0]!.linesRead).toBeGreaterThan(LINES.length);
    expect(fast.inputs).toEqual(slow.inputs);
    expect(fast.events).toEqual(slow.events);
  });

  it('reads a file far larger than its buffer the same way', async () => {
    const short = fileBytes(LINES.filter((l) => l.length < 1000)).subarray(3);
    const many = Buffer.concat(Array.from({ length: 3000 }, () => Buffer.concat([short, Buffer.from('\n')])));
    const bigPlain = dir.write('big/server.log', many);
    const bigGz = dir.write('biggz/server.log.gz', gzipSync(many));
    const slow = await read(bigPlain, true);
    // 64 KiB: the buffers of a folder of many families (chunkFor).
    for (const [path, chunk] of [[bigPlain, undefined], [bigGz, undefined], [bigPlain, 64 << 10], [bigGz, 64 << 10]] as const) {
      const fast = await read(path, false, chunk);
      expect(fast.inputs).toEqual(slow.inputs);
      expect(fast.events.length).toBe(slow.events.length);
      expect(fast.events).toEqual(slow.events);
    }
  });
});
