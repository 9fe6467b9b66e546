import type { Rule } from '../schema.js';

// ZooKeeper server: the quorum (leader/follower links, election, peer state).
//
// Follower and Observer log through Learner's LOG, so under Kafka's layout
// (`%c`) their lines say `…quorum.Learner` while the native layout (`%C{1}`)
// says `Follower`/`Observer` (3.8+ logback: `o.a.z.s.q.Follower`). Both are
// listed. QuorumCnxManager's inner classes (`QuorumCnxManager$SendWorker`) are
// gated through their outer class.
export const ZOOKEEPER_QUORUM_RULES: readonly Rule[] = [
  {
    id: 'zk.learner.lost',
    title: 'Leader lost a follower (LearnerHandler shut down)',
    category: 'zk-quorum',
    severity: 'error',
    appliesTo: ['zookeeper'],
    loggers: ['LearnerHandler'],
    keyword: 'Unexpected exception',
    withCause: true,
    // 3.4–3.6 "…causing shutdown while sock still open", 3.7+ "…in LearnerHandler: ".
    // The folded cause tells a dead follower (EOFException: its socket closed)
    // from a silent one (SocketTimeoutException: frozen or cut off).
    pattern: /^Unexpected exception (?:causing shutdown while sock still open|in LearnerHandler)[^\n]*(?:\n(?:java\.net\.)?(?<timedOut>SocketTimeoutException))?/,
    effect: { signal: 'zk-learner-error', timedOut: 'timedOut' },
    samples: [
      '[2024-02-23 08:13:53,660] ERROR Unexpected exception causing shutdown while sock still open (org.apache.zookeeper.server.quorum.LearnerHandler)\njava.net.SocketTimeoutException: Read timed out\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:283)',
      '2019-05-01 10:53:00,000 [myid:1] - ERROR [LearnerHandler-/10.0.0.12:48012:LearnerHandler@633] - Unexpected exception causing shutdown while sock still open\njava.net.SocketTimeoutException: Read timed out',
      '2024-05-01 10:53:00,000 [myid:] - ERROR [LearnerHandler-/10.0.0.12:48012:o.a.z.s.q.LearnerHandler@714] - Unexpected exception in LearnerHandler: \njava.io.EOFException',
    ],
  },
  {
    id: 'zk.learner.goodbye',
    title: 'Leader said GOODBYE to a follower',
    category: 'zk-quorum',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['LearnerHandler'],
    keyword: 'GOODBYE',
    // Post-3.9 master adds "sid:N "; the address is "<null>" without a socket.
    pattern: /^\*+ GOODBYE (?:sid:(?<sid>\d+) )?(?<peer>\S+) \*+/,
    fields: { sid: 'int' },
    effect: { signal: 'zk-follower-lost', field: 'peer' },
    samples: [
      '[2024-02-23 00:55:45,214] WARN ******* GOODBYE /192.168.0.155:33266 ******** (org.apache.zookeeper.server.quorum.LearnerHandler)',
      '2019-05-01 10:53:00,001 [myid:1] - WARN  [LearnerHandler-/10.0.0.12:48012:LearnerHandler@646] - ******* GOODBYE /10.0.0.12:48012 ********',
      '2024-05-01 10:53:00,001 [myid:] - WARN  [LearnerHandler-/10.0.0.12:48012:o.a.z.s.q.LearnerHandler@735] - ******* GOODBYE /10.0.0.12:48012 ********',
      '2026-07-01 10:53:00,001 [myid:] - WARN  [LearnerHandler-/10.0.0.12:48012:o.a.z.s.q.LearnerHandler@736] - ******* GOODBYE sid:2 /10.0.0.12:48012 ********',
    ],
  },
  {
    id: 'zk.learner.closing-socket',
    title: 'Leader closed its connection to a follower',
    category: 'zk-quorum',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['LearnerHandler'],
    keyword: 'closing socket to learner',
    // 3.6+ LearnerHandler.closeSocket(); names the follower's sid, which
    // GOODBYE does not.
    pattern: /^Synchronously closing socket to learner (?<sid>\d+)\.?$/,
    fields: { sid: 'int' },
    effect: { signal: 'zk-follower-lost', field: 'sid' },
    samples: [
      '2026-11-21 05:52:43,000 [myid:3] - INFO  [LearnerHandler-/127.0.0.1:57818:LearnerHandler@1159] - Synchronously closing socket to learner 1.',
    ],
  },
  {
    id: 'zk.leader.not-enough-followers',
    title: 'Leader stepped down: not sufficient followers synced (quorum lost)',
    category: 'zk-quorum',
    severity: 'critical',
    appliesTo: ['zookeeper'],
    loggers: ['Leader'],
    keyword: 'Not sufficient followers synced',
    withCause: true,
    // 3.4/3.5: INFO "Shutdown called" whose reason is in a folded
    // java.lang.Exception line; 3.6+: one line. 3.4 joins sids as "1,3", 3.5+
    // prints ack sets ("[1, 3]", several as "[3],[3]").
    pattern: /^Shutdown called(?:\. For the reason |\njava\.lang\.Exception: shutdown Leader! reason: )Not sufficient followers synced, only synced with sids: \[ (?<synced>[\d[\], ]*) \]/,
    fields: { synced: 'ids' },
    effect: { signal: 'zk-leader-stepped-down' },
    samples: [
      '[2024-02-23 08:20:31,187] INFO Shutdown called (org.apache.zookeeper.server.quorum.Leader)\njava.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ [3],[3] ]',
      '2019-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Leader@499] - Shutdown called\njava.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ 1 ]\n\tat org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:499)',
      '2022-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):Leader@799] - Shutdown called. For the reason Not sufficient followers synced, only synced with sids: [ [1] ]',
    ],
  },
  {
    id: 'zk.leader.shutdown',
    title: 'ZooKeeper leader shutting down',
    category: 'zk-quorum',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['Leader'],
    withCause: true,
    // Any other reason (after zk.leader.not-enough-followers). "Shutting down"
    // precedes "Shutdown called" in 3.4/3.5.
    pattern: /^(?:Shutting down(?:\n|$)|Shutdown called(?:\. For the reason |\njava\.lang\.Exception: shutdown Leader! reason: |$)(?<reason>[^\n]+)?)/,
    effect: { signal: 'zk-leader-stepped-down' },
    samples: [
      '2019-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Leader@493] - Shutting down',
      '[2019-05-01 10:54:00,000] INFO Shutdown called (org.apache.zookeeper.server.quorum.Leader)\njava.lang.Exception: shutdown Leader! reason: Forcing shutdown',
      '2022-05-01 10:54:00,000 [myid:1] - INFO  [QuorumPeer[myid=1](plain=0.0.0.0:2181)(secure=disabled):Leader@799] - Shutdown called. For the reason Forcing shutdown',
    ],
  },
  {
    id: 'zk.follower.lost-leader',
    title: 'Follower lost its leader',
    category: 'zk-quorum',
    severity: 'error',
    appliesTo: ['zookeeper'],
    loggers: ['Follower', 'Observer', 'Learner'],
    keyword: 'Exception when ',
    withCause: true,
    // The folded cause tells a dead leader (EOFException, connection reset:
    // its sockets closed at once) from a silent one (SocketTimeoutException
    // after syncLimit × tickTime: frozen or cut off).
    pattern: /^Exception when (?<role>following|observing) the leader(?:\n(?:java\.net\.)?(?<timedOut>SocketTimeoutException))?/,
    effect: { signal: 'zk-leader-lost', timedOut: 'timedOut' },
    samples: [
      '2019-05-01 10:57:00,000 [myid:2] - WARN  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:Follower@89] - Exception when following the leader\njava.io.EOFException\n\tat java.io.DataInputStream.readInt(DataInputStream.java:392)',
      '2024-05-01 10:57:00,000 [myid:] - WARN  [QuorumPeer[myid=2](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.Follower@128] - Exception when following the leader\njava.io.EOFException: null',
      '[2021-05-01 10:57:00,000] WARN Exception when following the leader (org.apache.zookeeper.server.quorum.Learner)\njava.net.SocketTimeoutException: Read timed out',
      '2019-05-01 10:57:00,000 [myid:4] - WARN  [QuorumPeer[myid=4]/0:0:0:0:0:0:0:0:2181:Observer@72] - Exception when observing the leader',
    ],
  },
  {
    id: 'zk.follower.shutdown',
    title: 'ZooKeeper follower shutting down',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['Follower', 'Learner'],
    keyword: 'shutdown ',
    // 3.4/3.5 log INFO "shutdown called" with a fake java.lang.Exception("shutdown
    // Follower") stack trace (not an error); 3.6+ log "shutdown Follower".
    pattern: /^shutdown (?:called|Follower)/,
    samples: [
      '2019-05-01 10:57:00,100 [myid:2] - INFO  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:Follower@166] - shutdown called\njava.lang.Exception: shutdown Follower\n\tat org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:166)',
      '2022-05-01 10:57:00,100 [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):Follower@209] - shutdown Follower',
    ],
  },
  {
    id: 'zk.election.channel-failed',
    title: 'Cannot reach a peer at its election address',
    category: 'zk-quorum',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumCnxManager'],
    keyword: 'Cannot open',
    // 3.5+ adds the TLS variant "Cannot open secure channel".
    pattern: /^Cannot open (?:secure )?channel to (?<sid>\d+) at election address (?<address>\S+)/,
    fields: { sid: 'int' },
    effect: { signal: 'zk-peer-unreachable', field: 'sid' },
    samples: [
      '[2024-02-23 08:27:28,483] WARN Cannot open channel to 1 at election address /192.168.0.155:3888 (org.apache.zookeeper.server.quorum.QuorumCnxManager)',
      '[2024-02-23 01:02:46,103] WARN Cannot open channel to 2 at election address /192.168.0.179:3888 (org.apache.zookeeper.server.quorum.QuorumCnxManager)\njava.net.ConnectException: Connection refused (Connection refused)\n\tat java.base/java.net.PlainSocketImpl.socketConnect(Native Method)',
      '2019-05-01 10:55:00,000 [myid:1] - WARN  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:QuorumCnxManager@584] - Cannot open channel to 3 at election address zk3/10.0.0.13:3888',
      '2022-05-01 10:55:00,000 [myid:1] - WARN  [QuorumConnectionThread-[myid=1]-2:QuorumCnxManager@401] - Cannot open secure channel to 3 at election address zk3/10.0.0.13:3888',
    ],
  },
  {
    id: 'zk.peer.connection-broken',
    title: 'Quorum connection to a peer broken',
    category: 'zk-quorum',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumCnxManager'],
    keyword: 'Connection broken for id',
    // RecvWorker: 3.4 "…, error = " + exception, 3.6+ placeholders + stack trace.
    pattern: /^Connection broken for id (?<sid>\d+), my id = (?<myid>\d+)/,
    fields: { sid: 'int', myid: 'int' },
    // The sid is named directly (GOODBYE only has the follower's ephemeral address).
    effect: { signal: 'zk-peer-lost', field: 'sid' },
    samples: [
      '2017-09-13 11:21:48,855 [myid:3] - WARN  [RecvWorker:1:QuorumCnxManager$RecvWorker@810] - Connection broken for id 1, my id = 3, error = ',
      '[2024-02-23 01:08:10,857] WARN Connection broken for id 1, my id = 3 (org.apache.zookeeper.server.quorum.QuorumCnxManager)\njava.io.EOFException',
    ],
  },
  {
    id: 'zk.peer.connection-handover',
    title: 'Quorum connection handed over to the higher id',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumCnxManager'],
    keyword: 'Have smaller server identifier',
    // The lower id of a pair drops the connection it opened; the higher id
    // then finishes its own older workers for this peer and connects back.
    // 3.4 "(sid, myid)", 3.5+ "(myId:N --> sid:M)".
    pattern: /^Have smaller server identifier, so dropping the connection: \((?:myId:\d+ --> sid:)?(?<sid>\d+)/,
    fields: { sid: 'int' },
    effect: { signal: 'zk-peer-handover', field: 'sid' },
    samples: [
      '2016-08-27 21:32:46,414 [myid:1] - INFO  [WorkerSender[myid=1]:QuorumCnxManager@193] - Have smaller server identifier, so dropping the connection: (7, 1)',
      '2026-12-07 09:35:14,930 [myid:2] - INFO  [QuorumConnectionThread-[myid=2]-3:QuorumCnxManager@514] - Have smaller server identifier, so dropping the connection: (myId:2 --> sid:3)',
    ],
  },
  {
    id: 'zk.peer.send-interrupted',
    title: 'Peer connection dropped (send worker interrupted)',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumCnxManager'],
    keyword: 'Interrupted while waiting for message on queue',
    pattern: /^Interrupted while waiting for message on queue/,
    samples: [
      '[2024-02-23 00:55:45,214] WARN Interrupted while waiting for message on queue (org.apache.zookeeper.server.quorum.QuorumCnxManager)\njava.lang.InterruptedException\n\tat java.base/java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.reportInterruptAfterWait(AbstractQueuedSynchronizer.java:2056)',
      '2019-05-01 10:55:01,000 [myid:1] - WARN  [SendWorker:3:QuorumCnxManager$SendWorker@697] - Interrupted while waiting for message on queue\njava.lang.InterruptedException',
    ],
  },
  {
    id: 'zk.peer.send-worker-leaving',
    title: 'Peer send worker stopped',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumCnxManager'],
    keyword: 'Send worker leaving thread',
    // 3.4: bare; 3.5.5–3.5.10: "thread  id N" (two spaces); 3.6+: one space.
    pattern: /^Send worker leaving thread(?: +id (?<sid>\d+) my id = (?<myid>\d+))?/,
    fields: { sid: 'int', myid: 'int' },
    samples: [
      '[2024-02-23 00:55:45,214] WARN Send worker leaving thread  id 1 my id = 3 (org.apache.zookeeper.server.quorum.QuorumCnxManager)',
      '2019-05-01 10:55:01,001 [myid:1] - WARN  [SendWorker:3:QuorumCnxManager$SendWorker@706] - Send worker leaving thread',
      '2020-05-01 10:55:01,001 [myid:1] - WARN  [SendWorker:3:QuorumCnxManager$SendWorker@1165] - Send worker leaving thread  id 3 my id = 1',
      '2022-05-01 10:55:01,001 [myid:1] - WARN  [SendWorker:3:QuorumCnxManager$SendWorker@1294] - Send worker leaving thread id 3 my id = 1',
    ],
  },
  {
    id: 'zk.peer.state',
    title: 'ZooKeeper peer changed state',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumPeer'],
    pattern: /^(?<state>LOOKING|LEADING|FOLLOWING|OBSERVING)$/,
    effect: { signal: 'zk-state', field: 'state' },
    samples: [
      '2022-05-01 10:56:01,000 [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@1465] - FOLLOWING',
      '2019-05-01 10:56:00,000 [myid:2] - INFO  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:QuorumPeer@910] - LOOKING',
      '2024-05-01 10:56:01,000 [myid:] - INFO  [QuorumPeer[myid=1](plain=[0:0:0:0:0:0:0:0]:2181)(secure=disabled):o.a.z.s.q.QuorumPeer@1549] - LEADING',
      '[2021-05-01 10:56:01,000] INFO OBSERVING (org.apache.zookeeper.server.quorum.QuorumPeer)',
    ],
  },
  {
    id: 'zk.peer.state-changed',
    title: 'ZooKeeper peer changed detailed state',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['QuorumPeer'],
    keyword: 'Peer state changed',
    // 3.6+: lower-case "state[ - zab state][ - sync mode]".
    pattern: /^Peer state changed: (?<state>[a-z]+)(?: - (?<zabState>[a-z]+))?(?: - (?<syncMode>[a-z]+))?/,
    effect: { signal: 'zk-zab-state', state: 'state', zab: 'zabState' },
    samples: [
      '2022-05-01 10:56:01,010 [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@864] - Peer state changed: following - discovery',
      '2022-05-01 10:56:01,200 [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@869] - Peer state changed: following - synchronization - diff',
      '[2022-05-01 10:56:01,300] INFO Peer state changed: leading - broadcast (org.apache.zookeeper.server.quorum.QuorumPeer)',
    ],
  },
  {
    id: 'zk.election.new',
    title: 'ZooKeeper leader election started',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['FastLeaderElection'],
    keyword: 'New election',
    // 3.4 prints two spaces after "My id =".
    pattern: /^New election\. My id = +(?<myid>\d+), proposed zxid=(?<zxid>0x[0-9a-f]+)/,
    fields: { myid: 'int' },
    samples: [
      '2019-05-01 10:56:00,001 [myid:2] - INFO  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@813] - New election. My id =  2, proposed zxid=0x100000003',
      '2022-05-01 10:56:00,001 [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):FastLeaderElection@945] - New election. My id = 2, proposed zxid=0x100000003',
    ],
  },
  {
    id: 'zk.election.notification-timeout',
    title: 'Leader election waiting: notification timed out',
    category: 'zk-quorum',
    severity: 'warn',
    appliesTo: ['zookeeper'],
    loggers: ['FastLeaderElection'],
    keyword: 'Notification time out',
    // The timeout doubles each time up to 60000; 3.8+ appends " ms".
    pattern: /^Notification time out: (?<timeoutMs>\d+)(?: ms)?$/,
    fields: { timeoutMs: 'int' },
    samples: [
      '2019-05-01 10:56:00,000 [myid:2] - INFO  [QuorumPeer[myid=2]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@849] - Notification time out: 400',
      '2024-05-01 10:56:00,000 [myid:] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):o.a.z.s.q.FastLeaderElection@996] - Notification time out: 800 ms',
    ],
  },
  {
    id: 'zk.election.took',
    title: 'Leader election finished',
    category: 'zk-quorum',
    severity: 'info',
    appliesTo: ['zookeeper'],
    loggers: ['Leader', 'Follower', 'Learner', 'Observer'],
    keyword: 'LEADER ELECTION TOOK',
    // 3.5+ append the unit " MS".
    pattern: /^(?<state>LEADING|FOLLOWING|OBSERVING) - LEADER ELECTION TOOK - (?<tookMs>\d+)(?: MS)?$/,
    fields: { tookMs: 'int' },
    effect: { signal: 'zk-state', field: 'state' },
    samples: [
      '2022-05-01 10:56:01,226 [myid:2] - INFO  [QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):Follower@75] - FOLLOWING - LEADER ELECTION TOOK - 226 MS',
      '2019-05-01 10:56:01,226 [myid:1] - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Leader@361] - LEADING - LEADER ELECTION TOOK - 226',
      '[2021-05-01 10:56:01,226] INFO LEADING - LEADER ELECTION TOOK - 226 MS (org.apache.zookeeper.server.quorum.Leader)',
    ],
  },
];
