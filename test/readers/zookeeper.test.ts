import { describe, expect, it } from 'vitest';
import { zookeeperLayout } from '../../src/readers/zookeeper.js';
import { Zone } from '../../src/time/zone.js';
import { readText } from '../helpers/read.js';

const zk = zookeeperLayout;
const utc = (s: string): number => Date.parse(s);
const timeOf = (line: string): number => utc(`${line.slice(0, 23).replace(' ', 'T').replace(',', '.')}Z`);

describe('ZooKeeper native layout `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n`', () => {
  it.each([
    ['3.4 quorum member, padded INFO', '2016-08-27 21:32:47,556 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2182:Follower@63] - FOLLOWING - LEADER ELECTION TOOK - 1298',
      { myid: '1', level: 'INFO', thread: 'QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2182', logger: 'Follower', message: 'FOLLOWING - LEADER ELECTION TOOK - 1298' }],
    ['standalone, empty [myid:]', '2016-08-27 21:32:45,850 [myid:] - INFO  [main:QuorumPeerConfig@103] - Reading configuration from: /home/x/zoo-5.cfg',
      { myid: '', level: 'INFO', thread: 'main', logger: 'QuorumPeerConfig', message: 'Reading configuration from: /home/x/zoo-5.cfg' }],
    ['ERROR is not padded', '2017-09-13 11:21:49,261 [myid:2] - ERROR [LearnerHandler-/192.168.56.101:51603:LearnerHandler@631] - Unexpected exception causing shutdown while sock still open',
      { myid: '2', level: 'ERROR', thread: 'LearnerHandler-/192.168.56.101:51603', logger: 'LearnerHandler' }],
    ['message that is decoration', '2017-09-13 11:21:49,266 [myid:2] - WARN  [LearnerHandler-/192.168.56.101:51603:LearnerHandler@644] - ******* GOODBYE /192.168.56.101:51603 ********',
      { level: 'WARN', message: '******* GOODBYE /192.168.56.101:51603 ********' }],
    ['inner class, message ending in a space', '2017-09-13 11:21:48,855 [myid:3] - WARN  [RecvWorker:1:QuorumCnxManager$RecvWorker@810] - Connection broken for id 1, my id = 3, error = ',
      { thread: 'RecvWorker:1', logger: 'QuorumCnxManager$RecvWorker', message: 'Connection broken for id 1, my id = 3, error = ' }],
    ['legacy 3.4.5 without [myid:]', '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
      { level: 'INFO', thread: 'QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181', logger: 'FastLeaderElection', message: 'Notification time out: 3200' }],
    ['thread with `:`, `/` and a port', '2015-07-29 19:52:04,792 - INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@1001] - Closed socket connection for client /10.10.34.18:42772 which had sessionid 0x14ed93111f20005',
      { thread: 'NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181', logger: 'NIOServerCnxn' }],
    ['thread ending in `:` (`::` before the class)', '2015-07-30 18:18:02,003 - INFO  [ProcessThread(sid:1 cport:-1)::PrepRequestProcessor@476] - Processed session termination for sessionid: 0x14ede63a5a70002',
      { thread: 'ProcessThread(sid:1 cport:-1):', logger: 'PrepRequestProcessor', message: 'Processed session termination for sessionid: 0x14ede63a5a70002' }],
    ['thread that is an address', '2015-07-29 19:04:12,394 - INFO  [/10.10.34.11:3888:QuorumCnxManager$Listener@493] - Received connection request /10.10.34.11:45307',
      { thread: '/10.10.34.11:3888', logger: 'QuorumCnxManager$Listener' }],
    ['3.5 thread with parentheses', '2019-02-20 21:50:00,308 [myid:1] - WARN  [QuorumPeer[myid=1](plain=/0.0.0.0:2181)(secure=disabled):Follower@96] - Exception when following the leader',
      { myid: '1', thread: 'QuorumPeer[myid=1](plain=/0.0.0.0:2181)(secure=disabled)', logger: 'Follower', message: 'Exception when following the leader' }],
    ['3.5 worker thread', '2017-03-16 22:05:42,146 [myid:0] - INFO  [NIOWorkerThread-6:QuorumZooKeeperServer@132] - Submitting global closeSession request for session 0x5ada34213f0000',
      { myid: '0', thread: 'NIOWorkerThread-6', logger: 'QuorumZooKeeperServer' }],
    ['3.8 logback abbreviated class, IPv6 in brackets', '2025-08-11 09:49:48,747 [myid:] - WARN  [QuorumPeer[myid=0](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.Follower@128] - Exception when following the leader',
      { myid: '', thread: 'QuorumPeer[myid=0](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled)', logger: 'o.a.z.s.q.Follower' }],
    ['Netty, single space after INFO', '2024-04-04 18:30:54,422 [myid:] - INFO [nioEventLoopGroup-4-1:o.a.z.s.NettyServerCnxn@294] - x',
      { level: 'INFO', thread: 'nioEventLoopGroup-4-1', logger: 'o.a.z.s.NettyServerCnxn', message: 'x' }],
    ['thread name holding `] - `', '2020-01-01 00:00:00,000 [myid:1] - INFO  [pool [a] - b:NIOServerCnxn@100] - real message',
      { thread: 'pool [a] - b', logger: 'NIOServerCnxn', message: 'real message' }],
    ['message holding `@N]`', '2020-01-01 00:00:00,000 [myid:1] - INFO  [main:QuorumPeer@1] - see [x:Foo@2] - later',
      { thread: 'main', logger: 'QuorumPeer', message: 'see [x:Foo@2] - later' }],
    ['Log4j 2 `T` separator', '2023-05-19T23:47:57,354 [myid:1] - INFO  [main:QuorumPeerMain@123] - Starting quorum peer',
      { myid: '1', level: 'INFO', logger: 'QuorumPeerMain', time: utc('2023-05-19T23:47:57.354Z') }],
    ['TRACEFILE with `[%x]`', '2020-01-01 00:00:00,000 [myid:1] - TRACE [main:QuorumPeerMain@123][ndc] - traced',
      { level: 'TRACE', logger: 'QuorumPeerMain', message: 'traced' }],
    ['empty message', '2020-01-01 00:00:00,000 [myid:1] - INFO  [main:ZooKeeperServer@100] - ',
      { logger: 'ZooKeeperServer', message: '' }],
    ['other layout: bare level and message (Strimzi-like), kept with an empty logger', '2021-03-31 07:37:45,243 WARN fsync-ing the write ahead log in SyncThread:2 took 3932ms (org.apache.zookeeper.server.persistence.FileTxnLog) [SyncThread:2]',
      { level: 'WARN', logger: '', message: 'fsync-ing the write ahead log in SyncThread:2 took 3932ms (org.apache.zookeeper.server.persistence.FileTxnLog) [SyncThread:2]' }],
    ['audit log `%d %p %c{2}: %m`', '2020-01-01 00:00:00,000 INFO audit.ZKAuditProvider: session=0x1\tuser=a\toperation=create\tresult=success',
      { level: 'INFO', logger: '', message: 'audit.ZKAuditProvider: session=0x1\tuser=a\toperation=create\tresult=success' }],
  ] as const)('%s', (_name, line, expected) => {
    const { records, counts } = readText(line, zk);
    expect(counts).toMatchObject({ linesRead: 1, records: 1, unrecognised: 0 });
    expect(records[0]).toMatchObject({ time: timeOf(line), role: 'zookeeper', line: 1, ...expected });
    if (!line.includes('[myid:')) expect(records[0]!.myid).toBeUndefined();
  });

  it('applies the zone given', () => {
    const { records } = readText('2015-07-29 17:41:44,747 - INFO  [main:X@1] - x', zk, new Zone('Asia/Seoul'));
    expect(records[0]!.time).toBe(utc('2015-07-29T08:41:44.747Z'));
  });
});

describe('ZooKeeper native layout: multi-line records and accounting', () => {
  it.each([
    ['tab frames', ['java.io.EOFException', '\tat java.io.DataInputStream.readInt(DataInputStream.java:392)', '\tat org.apache.zookeeper.server.quorum.LearnerHandler.run(LearnerHandler.java:546)']],
    ['two-space frames (3.4 pseudo trace)', ['java.lang.Exception: shutdown Follower', '  at org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:166)', '  at org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:967)']],
    ['four-space frames', ['java.io.EOFException', '    at java.io.DataInputStream.readInt(DataInputStream.java:392)']],
    ['eight-space frames, Caused by, ... N more', ['java.io.EOFException: null', '        at java.base/java.io.DataInputStream.readFully(DataInputStream.java:210)', 'Caused by: java.net.SocketException: Connection reset', '\t... 3 more']],
    ['spliced writers: a line glued to a partial timestamp is folded, not lost', ['2016-08-2016-08-27 21:32:47,222 [myid:28] - INFO  [WorkerReceiver[myid=28]:FastLeaderElection@597] - Notification: 1']],
    ['spliced writers: a timestamped line glued after text is folded', ['java.net.SocketException: Socket close2016-08-27 21:32:58,697 [myid:37] - WARN  [QuorumPeer[myid=37]/0:0:0:0:0:0:0:0:2186:Follower@118] - Got zxid 0xd00000001 expected 0x1']],
  ])('folds %s', (_name, trace) => {
    const first = '2017-09-13 11:21:49,261 [myid:2] - ERROR [LearnerHandler-/192.168.56.101:51603:LearnerHandler@631] - Unexpected exception causing shutdown while sock still open';
    const next = '2017-09-13 11:21:49,266 [myid:2] - WARN  [LearnerHandler-/192.168.56.101:51603:LearnerHandler@644] - ******* GOODBYE';
    const { records, counts } = readText([first, ...trace, next].join('\n'), zk);
    expect(counts).toMatchObject({ records: 2, folded: trace.length, unrecognised: 0 });
    expect(records[0]!.continuation).toEqual(trace);
    expect(records[1]!.line).toBe(trace.length + 2);
  });

  it('counts SLF4J lines and orphan frames before the first record as unrecognised', () => {
    const text = [
      'SLF4J: Class path contains multiple SLF4J bindings.',
      'SLF4J: Found binding in [jar:file:/zookeeper-3.4.9/lib/slf4j-log4j12-1.6.1.jar!/org/slf4j/impl/StaticLoggerBinder.class]',
      '  at org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:967)',
      '(zookeeper-0)',
      '2016-08-27 21:32:45,850 [myid:] - INFO  [main:QuorumPeerConfig@103] - Reading configuration from: zoo.cfg',
    ].join('\r\n');
    const { counts, unrecognised } = readText(text, zk);
    expect(counts).toMatchObject({ linesRead: 5, records: 1, unrecognised: 4, badTimestamps: 0 });
    expect(unrecognised.every((u) => u.reason === 'no-record-yet')).toBe(true);
  });

  it.each([
    ['Feb 30', '2016-02-30 10:00:00,000 [myid:1] - INFO  [main:X@1] - x'],
    ['minute 61', '2016-02-03 10:61:00,000 [myid:1] - INFO  [main:X@1] - x'],
    ['comma missing', '2016-02-03 10:00:00 000 [myid:1] - INFO  [main:X@1] - x'],
    ['truncated', '2016-02-03 10:00'],
  ])('counts a bad timestamp (%s) as unrecognised + badTimestamps', (_name, bad) => {
    const text = ['2016-02-03 09:00:00,000 [myid:1] - INFO  [main:X@1] - ok', bad].join('\n');
    const { counts, unrecognised } = readText(text, zk);
    expect(counts).toMatchObject({ records: 1, folded: 0, unrecognised: 1, badTimestamps: 1 });
    expect(unrecognised[0]).toEqual({ line: 2, text: bad, reason: 'bad-timestamp' });
  });

  it('keeps concatenated runs (time going back) in file order, flags them, and keeps each line\'s myid', () => {
    const text = [
      '2015-08-25 10:00:00,000 - INFO  [main:X@1] - late',
      '2015-07-29 17:41:44,747 [myid:1] - INFO  [main:X@1] - early 1',
      '2015-07-29 17:41:45,000 [myid:3] - INFO  [main:X@1] - early 3',
      '2015-08-25 10:00:00,001 [myid:1] - INFO  [main:X@1] - after',
    ].join('\n');
    const { records, counts } = readText(text, zk);
    expect(records.map((r) => [r.message, r.outOfOrder, r.myid])).toEqual([
      ['late', false, undefined], ['early 1', true, '1'], ['early 3', true, '3'], ['after', false, '1'],
    ]);
    expect(counts.outOfOrder).toBe(2);
  });
});
