import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordReader } from '../../src/readers/assembler.js';
import { readFamily, type FamilyRead } from '../helpers/read.js';
import { tempDir } from '../helpers/tmp.js';
import { anyLineArb, kafkaLineArb, PARAMS, TIMEOUT, zookeeperLineArb } from '../property/arbitraries.js';

// ZooKeeper's native layout on the byte-level path must give exactly what the
// LineSplitter path gives: the same events, fields, line numbers and
// accounting — the nodes a file's `[myid:N]` names included, when the only
// records of a server are ones counted without being built.
const t = (s: number, sep = ' ') => `2024-02-23${sep}07:47:${String(s).padStart(2, '0')},149`;
const LINES: (string | Buffer)[] = [
  'SLF4J: Class path contains multiple SLF4J bindings.',
  `${t(1)} [myid:1] - INFO  [main:QuorumPeerConfig@174] - Reading configuration from: /conf/zoo.cfg`,
  `${t(1)} [myid:1] - INFO  [main:QuorumPeerMain@132] - Starting quorum peer`,
  `${t(2)} [myid:1] - WARN  [QuorumPeer[myid=1](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.Follower@128] - Exception when following the leader`,
  'java.io.EOFException: null',
  '\tat java.base/java.io.DataInputStream.readInt(DataInputStream.java:398)',
  '\t... 3 more',
  `${t(3)} [myid:1] - WARN  [LearnerHandler-/10.0.0.12:48012:LearnerHandler@646] - ******* GOODBYE /10.0.0.12:48012 ********`,
  // A class whose rules read the cause: decided on the message when no line is folded, else on both.
  `${t(3)} [myid:1] - INFO  [NIOWorkerThread-1:NIOServerCnxn@100] - Processing srvr command from /10.0.0.3:41234`,
  `${t(3)} [myid:1] - WARN  [NIOWorkerThread-1:NIOServerCnxn@373] - Close of session 0x0`,
  'java.io.IOException: ZooKeeperServer not running',
  `${t(3)} [myid:1] - INFO  [NIOWorkerThread-2:NIOServerCnxn@518] - Unable to read additional data from client, it probably closed the socket: address = /10.0.0.9:51234, session = 0x10000a1b2c0004`,
  `${t(4)} [myid:1] - INFO  [SyncThread:1:FileTxnLog@218] - Creating new log file: log.100000001`,
  '\tat org.apache.zookeeper.server.SyncRequestProcessor.run(SyncRequestProcessor.java:1)',
  '123 lines of a continuation that starts with a digit',
  '2016-08-2016-08-27 21:32:47,222 [myid:28] - INFO  [WorkerReceiver[myid=28]:FastLeaderElection@597] - Notification: 1',
  `${t(5)} [myid:] - INFO  [NIOWorkerThread-1:NIOServerCnxn@100] - standalone, empty myid`,
  `${t(5)} [myid:] - INFO  [main:DatadirCleanupManager@78] - autopurge.snapRetainCount set to 3`,
  `${t(6)} - INFO  [main:DatadirCleanupManager@79] - legacy, without [myid:]`,
  `${t(6)} - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200`,
  `${t(7, 'T')} [myid:1] - INFO  [main:ZooKeeperServer@100] - Log4j 2 T separator\r`,
  `${t(8)} [myid:1] - TRACE [main:QuorumPeerMain@123][ndc] - traced`,
  `${t(9)} [myid:1] - INFO  [pool [a] - b:NIOServerCnxn@100] - thread holding a separator`,
  `${t(9)} [myid:1] - INFO  [main:QuorumPeer@1] - see [x:Foo@2] - later`,
  `${t(10)} [myid:10.0.0.7:2181] - INFO  [NIOWorkerThread-2:NIOServerCnxn@100] - a client's address in the myid slot`,
  `${t(10)} [myid:10.0.0.8:2181] - INFO  [NIOWorkerThread-3:FinalRequestProcessor@200] - a client's address, a class no rule names`,
  `${t(10)} [myid:1] - INFO  [main] - no class in the brackets`,
  `${t(10)} WARN fsync-ing the write ahead log in SyncThread:2 took 3932ms (org.apache.zookeeper.server.persistence.FileTxnLog) [SyncThread:2]`,
  `2024-02-30 07:47:11,149 [myid:1] - INFO  [main:QuorumPeer@1] - a bad day`,
  '2024-02-23 07:47',
  `${t(11)} [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):Leader@799] - Shutdown called. For the reason Not sufficient followers synced, only synced with sids: [ [2] ]`,
  `${t(11)} [myid:2] - INFO  [main:ZooKeeperServer@100] - Ünïcödé message`,
  Buffer.from(`${t(12)} [myid:2] - INFO  [caf\xe9:ZooKeeperServer@100] - latin1 in the thread, caf\xe9`, 'latin1'),
  Buffer.concat([Buffer.from(`${t(12)} [myid:2] - INFO  [caf\xe9:ZooKeeperServer@100] - `, 'latin1'), Buffer.from('utf-8 message é after latin1')]),
  `${t(12)} [myid:2] - INFO  [main:ZooKeeperServer@100] - nul\0 inside`,
  '[Configuring] a Docker entrypoint line',
  `${t(13)} [myid:2] - INFO  [main:ZooKeeperServer@100] - x${'y'.repeat(700_000)}`,
  // A server whose records are all counted without being built: its node is in the accounting all the same.
  `${t(14)} [myid:3] - INFO  [main:FileTxnSnapLog@404] - Snapshotting: 0x0 to /data/version-2/snapshot.0`,
  '\tat a.frame(X.java:1)',
  `${t(3)} [myid:3] - INFO  [main:FileTxnSnapLog@404] - earlier: out of order`,
  `${t(15)} [myid:1] - WARN  [LearnerHandler-/10.0.0.12:48013:LearnerHandler@646] - ******* GOODBYE /10.0.0.12:48013 ********`,
  `${t(16)} [myid:1] - INFO  [main:QuorumPeerMain@132] - the last line, cut: no newline after it [myid:1] - INF`,
];

function fileBytes(lines = LINES, bom = true): Buffer {
  const parts = lines.map((l) => (typeof l === 'string' ? Buffer.from(`${l}\n`, 'utf8') : Buffer.concat([l, Buffer.from('\n')])));
  const all = Buffer.concat([...(bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : []), ...parts]);
  return all.subarray(0, all.length - 1);
}

function read(path: string, textOnly: boolean, mapped = false, chunk?: number): Promise<FamilyRead> {
  return readFamily({
    key: 'zk',
    files: [{ path, size: 0, kind: 'zookeeper-native', zookeeperServer: true, kafka: false }],
    nodes: { 'kafka-broker': 'broker-1', zookeeper: 'zk-1' },
    defaultRole: 'zookeeper',
    ...(mapped && { mapped: true }),
  }, textOnly, chunk);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('byte-level reading of ZooKeeper native-layout files', () => {
  const dir = tempDir();
  const bytes = fileBytes();
  const plain = dir.write('plain/zookeeper.log', bytes);
  const gz = dir.write('gz/zookeeper.log.gz', gzipSync(bytes));

  it('gives the same events and accounting as the line splitter', async () => {
    const slow = await read(plain, true);
    expect(slow.events.map((e) => e.rule?.id)).toEqual(expect.arrayContaining(['zk.learner.goodbye', 'zk.server.not-running', 'zk.client.connection-lost']));
    expect(slow.inputs[0]).toMatchObject({ linesRead: LINES.length, outOfOrder: 1, badTimestamps: 2, node: 'zk-1,zk-2,zk-3' });
    const skip = vi.spyOn(RecordReader.prototype, 'skipRecord');
    for (const path of [plain, gz]) {
      const fast = await read(path, false);
      expect(fast.events).toEqual(slow.events);
      expect(fast.inputs).toEqual(slow.inputs);
    }
    // The byte path did count records without building them, server 3's among them.
    expect(skip.mock.calls.some((c) => c[2] === '3')).toBe(true);
    expect(skip.mock.calls.some((c) => c[2] === '')).toBe(true);
    expect(skip.mock.calls.some((c) => c[2] === undefined)).toBe(true);
  });

  it('names the file\'s own node for skipped records when the node map names it', async () => {
    const slow = await read(plain, true, true);
    expect(slow.inputs[0]!.node).toBe('zk-1');
    expect(await read(plain, false, true)).toEqual(slow);
  });

  it('reads a file far larger than its buffer, and a truncated .gz, the same way', async () => {
    const short = fileBytes(LINES.filter((l) => l.length < 1000), false);
    const many = Buffer.concat(Array.from({ length: 3000 }, () => Buffer.concat([short, Buffer.from('\r\n')])));
    const bigPlain = dir.write('big/zookeeper.log', many);
    const bigGz = dir.write('biggz/zookeeper.log.gz', gzipSync(many));
    const slow = await read(bigPlain, true);
    for (const [path, chunk] of [[bigPlain, undefined], [bigGz, undefined], [bigPlain, 64 << 10], [bigGz, 64 << 10]] as const) {
      const fast = await read(path, false, false, chunk);
      expect(fast.inputs).toEqual(slow.inputs);
      expect(fast.events).toEqual(slow.events);
    }
    const cut = dir.write('cut/zookeeper.log.gz', gzipSync(many).subarray(0, Math.floor(gzipSync(many).length * 0.6)));
    const cutSlow = await read(cut, true);
    expect(cutSlow.inputs[0]!.error).toBeTruthy();
    expect(await read(cut, false)).toEqual(cutSlow);
  });
});

describe('byte-level reading of random ZooKeeper files', () => {
  const dir = tempDir();
  // Lines of classes the catalogue gates (by message, by record) and of none, with the arbitraries' damage and noise.
  const fixed = fc.constantFrom(...LINES.filter((l) => typeof l === 'string' && l.length < 1000) as string[]);
  const line = fc.oneof(
    { weight: 3, arbitrary: anyLineArb(zookeeperLineArb, kafkaLineArb) },
    { weight: 2, arbitrary: fixed },
  );
  let n = 0;
  it('gives the same events and accounting as the line splitter', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.boolean(), async (lines, crlf) => {
      const path = dir.write(`random/${n++}/zookeeper.log`, Buffer.from(lines.join(crlf ? '\r\n' : '\n'), 'utf8'));
      const slow = await read(path, true);
      const fast = await read(path, false);
      expect(fast.inputs).toEqual(slow.inputs);
      expect(fast.events).toEqual(slow.events);
    }), { ...PARAMS, numRuns: Math.min(PARAMS.numRuns ?? 200, 150) });
  }, TIMEOUT);
});
