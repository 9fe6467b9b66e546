import type { Rule } from '../schema.js';

// ZooKeeper server: client sessions and client connections.
//
// Gates list simple class names, which cover all three ways the class shows
// up: `%C{1}` of the native layout (`ZooKeeperServer`), logback's abbreviated
// `%C{1}` in 3.8+ (`o.a.z.s.ZooKeeperServer`), and the logger `%c` of Kafka's
// layout (`org.apache.zookeeper.server.ZooKeeperServer`). QuorumZooKeeperServer
// and LeaderZooKeeperServer log through ZooKeeperServer's LOG, so under Kafka's
// layout their lines carry the ZooKeeperServer logger.
export const ZOOKEEPER_SESSION_RULES: readonly Rule[] = [
  {
    id: 'zk.session.expired',
    title: 'ZooKeeper expired a client session',
    category: 'zk-session',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['ZooKeeperServer', 'QuorumZooKeeperServer', 'LeaderZooKeeperServer'],
    keyword: 'Expiring session',
    // Same text 3.4 → 3.9 (string concatenation up to 3.5, {} placeholders after).
    pattern: /^Expiring session (?<session>0x[0-9a-f]+), timeout of (?<timeoutMs>\d+) ?ms exceeded/,
    fields: { timeoutMs: 'int' },
    effect: { signal: 'session-expired', field: 'session', timeout: 'timeoutMs' },
    samples: [
      '[2024-02-23 07:45:07,751] INFO Expiring session 0x100000e95480003, timeout of 18000ms exceeded (org.apache.zookeeper.server.ZooKeeperServer)',
      '2019-05-01 10:50:00,000 [myid:1] - INFO  [SessionTracker:ZooKeeperServer@355] - Expiring session 0x16a7b3c4d5e0001, timeout of 6000ms exceeded',
      '2024-05-01 10:50:00,000 [myid:] - INFO  [SessionTracker:o.a.z.s.ZooKeeperServer@643] - Expiring session 0x100000a1b2c0003, timeout of 18000ms exceeded',
    ],
  },
  {
    id: 'zk.session.close-submitted',
    title: 'ZooKeeper closing a session',
    category: 'zk-session',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['ZooKeeperServer', 'QuorumZooKeeperServer', 'ReadOnlyZooKeeperServer'],
    keyword: 'closeSession request',
    // 3.5+ quorum mode only; 3.8's ReadOnlyZooKeeperServer appends " in ReadOnly mode".
    pattern: /^Submitting (?<scope>global|local) closeSession request for session (?<session>0x[0-9a-f]+)/,
    samples: [
      '[2024-02-23 07:44:05,983] INFO Submitting global closeSession request for session 0x100000e95480002 (org.apache.zookeeper.server.ZooKeeperServer)',
      '2021-05-01 10:50:00,001 [myid:1] - INFO  [SessionTracker:QuorumZooKeeperServer@159] - Submitting global closeSession request for session 0x100000a1b2c0003',
    ],
  },
  {
    id: 'zk.session.established',
    title: 'ZooKeeper established a client session',
    category: 'zk-session',
    severity: 'debug',
    appliesTo: ['zookeeper'],
    loggers: ['ZooKeeperServer', 'QuorumZooKeeperServer', 'LeaderZooKeeperServer', 'FollowerZooKeeperServer'],
    keyword: 'Established session',
    // INFO in 3.4 only (DEBUG from 3.5), so absent from default 3.5+ logs.
    pattern: /^Established session (?<session>0x[0-9a-f]+) with negotiated timeout (?<timeoutMs>\d+) for client (?<address>\S+)/,
    fields: { timeoutMs: 'int' },
    samples: [
      '2015-11-21 22:14:52,445 [myid:] - INFO  [SyncThread:0:ZooKeeperServer@617] - Established session 0x1512b1d2a3c0000 with negotiated timeout 6000 for client /127.0.0.1:53012',
    ],
  },
  {
    id: 'zk.client.connection-lost',
    title: 'ZooKeeper lost a client connection',
    category: 'zk-session',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['NIOServerCnxn', 'NettyServerCnxn'],
    // In every alternative: a busy server's other NIOServerCnxn lines are skipped unread.
    keyword: 'Unable to read additional data from client',
    withCause: true,
    // 3.4: WARN "caught end of stream exception" + EndOfStreamException line;
    // 3.5: the exception text alone; 3.6–3.8.0: WARN "Unexpected exception" +
    // the new "it probably closed the socket" text; 3.8.1+: that text as INFO.
    // EndOfStreamException.toString has no package, hence the bare class name.
    // 3.4 logs "caught end of stream exception" only for this exception, so the
    // header alone (stack trace stripped, as in single-line datasets) counts.
    pattern: /^(?:(?:caught end of stream exception|Unexpected exception)\nEndOfStreamException: )?Unable to read additional data from client(?:, it probably closed the socket: address = (?<address>[^\s,]+),)? session(?:id | = )(?<session>0x[0-9a-f]+)/,
    effect: { signal: 'session-closed', field: 'session' },
    samples: [
      '[2024-02-23 07:44:51,001] WARN Unable to read additional data from client sessionid 0x100000e95480003, likely client has closed socket (org.apache.zookeeper.server.NIOServerCnxn)',
      '2019-05-01 10:51:00,000 [myid:1] - WARN  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@357] - caught end of stream exception\nEndOfStreamException: Unable to read additional data from client sessionid 0x16a7b3c4d5e0001, likely client has closed socket\n\tat org.apache.zookeeper.server.NIOServerCnxn.doIO(NIOServerCnxn.java:228)',
      '[2019-05-01 10:51:00,000] WARN caught end of stream exception (org.apache.zookeeper.server.NIOServerCnxn)\nEndOfStreamException: Unable to read additional data from client sessionid 0x16a7b3c4d5e0001, likely client has closed socket',
      '2020-05-01 10:51:00,000 [myid:1] - WARN  [NIOWorkerThread-3:NIOServerCnxn@366] - Unable to read additional data from client sessionid 0x100000a1b2c0003, likely client has closed socket',
      '2022-05-01 10:51:00,000 [myid:1] - WARN  [NIOWorkerThread-3:NIOServerCnxn@364] - Unexpected exception\nEndOfStreamException: Unable to read additional data from client, it probably closed the socket: address = /10.0.0.21:51544, session = 0x100000a1b2c0003',
      '2024-05-01 10:51:00,000 [myid:] - INFO  [NIOWorkerThread-3:o.a.z.s.NIOServerCnxn@340] - Unable to read additional data from client, it probably closed the socket: address = /10.0.0.21:51544, session = 0x100000a1b2c0003',
    ],
  },
  {
    id: 'zk.client.connection-lost-unnamed',
    title: 'ZooKeeper lost a client connection (session not named)',
    category: 'zk-session',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['NIOServerCnxn', 'NettyServerCnxn'],
    keyword: 'caught end of stream exception',
    // 3.4 logs this header only for EndOfStreamException; stripped of the
    // exception line (single-line datasets) it names no session.
    pattern: /^caught end of stream exception$/,
    samples: [
      '2019-05-01 10:51:00,000 [myid:1] - WARN  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@357] - caught end of stream exception',
    ],
  },
  {
    id: 'zk.server.not-running',
    title: 'ZooKeeper refused a client: server not running (no quorum)',
    category: 'zk-quorum',
    severity: 'error',
    appliesTo: ['zookeeper'],
    loggers: ['NIOServerCnxn', 'NettyServerCnxn'],
    keyword: 'ZooKeeperServer not running',
    withCause: true,
    // 3.4 "… due to java.io.IOException: …", 3.5 "…: ZooKeeperServer not
    // running", 3.6+ "Close of session 0x0" with the IOException on the next line.
    pattern: /^(?:Exception causing close|Close) of session (?<session>0x[0-9a-f]+)(?: due to java\.io\.IOException: |: |\njava\.io\.IOException: )ZooKeeperServer not running/,
    samples: [
      '[2024-02-23 08:20:59,970] WARN Exception causing close of session 0x0: ZooKeeperServer not running (org.apache.zookeeper.server.NIOServerCnxn)',
      '2019-05-01 10:52:00,000 [myid:2] - WARN  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@362] - Exception causing close of session 0x0 due to java.io.IOException: ZooKeeperServer not running',
      '2022-05-01 10:52:00,000 [myid:2] - WARN  [NIOWorkerThread-1:NIOServerCnxn@373] - Close of session 0x0\njava.io.IOException: ZooKeeperServer not running',
    ],
  },
  {
    id: 'zk.server.starting',
    title: 'ZooKeeper server starting (reading its configuration)',
    category: 'lifecycle',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumPeerConfig'],
    keyword: 'Reading configuration from',
    // QuorumPeerMain's first line, 3.4 → 3.9: a process (re)starting.
    pattern: /^Reading configuration from: (?<config>\S+)/,
    effect: { signal: 'zk-starting' },
    samples: [
      '2026-11-21 04:43:18,016 [myid:] - INFO  [main:QuorumPeerConfig@177] - Reading configuration from: /tmp/zk/node3/zoo.cfg',
      '2019-05-01 10:40:00,000 [myid:] - INFO  [main:QuorumPeerConfig@134] - Reading configuration from: /etc/zookeeper/conf/zoo.cfg',
      '[2024-02-23 07:40:00,000] INFO Reading configuration from: /opt/kafka/config/zookeeper.properties (org.apache.zookeeper.server.quorum.QuorumPeerConfig)',
    ],
  },
];
