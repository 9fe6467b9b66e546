import type { Rule } from '../schema.js';

// The ZooKeeper client inside a broker (org.apache.zookeeper.ClientCnxn) and
// Kafka's wrappers around it: zkclient (org.I0Itec, 0.10–2.3) and
// kafka.zookeeper.ZooKeeperClient (1.1+). The client version follows the
// Kafka release: ZK 3.4 up to Kafka 2.3, 3.5 in 2.4–2.8, 3.6 in 3.0–3.5, 3.8
// in 3.6–3.9 — hence "sessionid" (≤3.5) vs "session id" (3.6+) and the
// "for sever" typo (3.6.0–3.6.3, 3.7.0). In 0.10 these lines reach only
// kafkaServer.out, from 0.11 server.log too.
export const KAFKA_ZK_CLIENT_RULES: readonly Rule[] = [
  {
    id: 'kafka.zk.session-established',
    title: 'Broker established a ZooKeeper session',
    category: 'zk-session',
    severity: 'info',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.zookeeper.ClientCnxn'],
    keyword: 'Session establishment complete',
    pattern: /^Session establishment complete on server (?<server>[^\s,]+), session ?id = (?<session>0x[0-9a-f]+), negotiated timeout = (?<timeoutMs>\d+)/,
    fields: { timeoutMs: 'int' },
    effect: { signal: 'session-established', field: 'session', timeout: 'timeoutMs' },
    samples: [
      '[2019-05-01 10:40:00,020] INFO Session establishment complete on server zk1/10.0.0.11:2181, sessionid = 0x16a7b3c4d5e0001, negotiated timeout = 6000 (org.apache.zookeeper.ClientCnxn)',
      '[2023-05-01 10:40:00,020] INFO Session establishment complete on server zk1/10.0.0.11:2181, session id = 0x100000a1b2c0003, negotiated timeout = 18000 (org.apache.zookeeper.ClientCnxn)',
    ],
  },
  {
    id: 'kafka.zk.client-connecting',
    title: 'Broker ZooKeeper client starting a session: its servers and requested timeout',
    category: 'zk-session',
    severity: 'debug',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.zookeeper.ZooKeeper'],
    keyword: 'Initiating client connection',
    // Printed by the client's constructor at start-up and at every new session
    // after an expiry (3.4–3.9). The servers set how long each connection
    // attempt may wait (session timeout ÷ servers), which bounds when a
    // cut-off broker's network came back.
    pattern: /^Initiating client connection, connectString=(?<servers>[^\s/]+)(?:\/\S*)? sessionTimeout=(?<timeoutMs>\d+)/,
    fields: { timeoutMs: 'int' },
    effect: { signal: 'zk-client-servers', servers: 'servers' },
    samples: [
      '[2026-12-06 19:39:13,568] INFO Initiating client connection, connectString=127.0.0.1:32181 sessionTimeout=6000 watcher=kafka.zookeeper.ZooKeeperClient$ZooKeeperClientWatcher$@19e7a160 (org.apache.zookeeper.ZooKeeper)',
      '[2018-03-12 09:14:02,117] INFO Initiating client connection, connectString=zk1:2181,zk2:2181,zk3:2181/kafka sessionTimeout=6000 watcher=org.I0Itec.zkclient.ZkClient@5f2108b5 (org.apache.zookeeper.ZooKeeper)',
    ],
  },
  {
    id: 'kafka.zk.session-timeout',
    title: 'Broker lost contact with ZooKeeper (client session timed out)',
    category: 'zk-session',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.zookeeper.ClientCnxn'],
    keyword: 'Client session timed out',
    // ZK 3.4.6: one INFO "…, closing socket connection and attempting
    // reconnect"; 3.4.7–3.5: a WARN then that INFO; 3.6+: WARN "…for session id
    // 0x…", then a generic "Closing socket connection" WARN (kafka.zk.disconnected).
    pattern: /^Client session timed out, have not heard from server in (?<idleMs>\d+)ms for session ?id (?<session>0x[0-9a-f]+)/,
    fields: { idleMs: 'int' },
    effect: { signal: 'zk-contact-lost', idle: 'idleMs' },
    samples: [
      '[2024-02-23 08:20:33,994] INFO Client session timed out, have not heard from server in 12005ms for sessionid 0x200000de6bd0003, closing socket connection and attempting reconnect (org.apache.zookeeper.ClientCnxn)',
      '[2019-05-01 10:41:00,000] WARN Client session timed out, have not heard from server in 6668ms for sessionid 0x16a7b3c4d5e0001 (org.apache.zookeeper.ClientCnxn)',
      '[2023-05-01 10:41:00,000] WARN Client session timed out, have not heard from server in 12004ms for session id 0x100000a1b2c0003 (org.apache.zookeeper.ClientCnxn)',
    ],
  },
  {
    id: 'kafka.zk.session-expired',
    title: 'Broker ZooKeeper session expired',
    category: 'zk-session',
    severity: 'error',
    appliesTo: ['kafka-broker'],
    loggers: [
      'org.apache.zookeeper.ClientCnxn', 'kafka.zookeeper.ZooKeeperClient', 'org.I0Itec.zkclient.ZkClient',
      'KafkaController$SessionExpirationListener',
    ],
    keyword: ['has expired', 'Session expired', '(Expired)', 'ZK expired'],
    // Client: WARN (3.4.7+) and INFO "…, closing socket connection"; wrappers:
    // zkclient "zookeeper state changed (Expired)" (0.10–2.3), 0.10's controller
    // "[SessionExpirationListener on N], ZK expired; …", 1.1+ "[ZooKeeperClient
    // Kafka server] Session expired." (no name before 2.3).
    pattern: /^(?:Unable to reconnect to ZooKeeper service, session (?<session>0x[0-9a-f]+) has expired|\[ZooKeeperClient[^\]]*\] Session expired|zookeeper state changed \(Expired\)|\[SessionExpirationListener on (?<broker>\d+)\], ZK expired)/,
    fields: { broker: 'int' },
    // A client hears of its expiry only from a server it reached again.
    effect: { signal: 'zk-contact-lost', answered: true },
    samples: [
      '[2019-05-01 10:43:00,000] WARN Unable to reconnect to ZooKeeper service, session 0x16a7b3c4d5e0001 has expired (org.apache.zookeeper.ClientCnxn)',
      '[2019-05-01 10:43:00,001] INFO Unable to reconnect to ZooKeeper service, session 0x16a7b3c4d5e0001 has expired, closing socket connection (org.apache.zookeeper.ClientCnxn)',
      '[2020-05-01 10:43:00,003] INFO [ZooKeeperClient Kafka server] Session expired. (kafka.zookeeper.ZooKeeperClient)',
      '[2018-05-01 10:43:00,003] INFO [ZooKeeperClient] Session expired. (kafka.zookeeper.ZooKeeperClient)',
      '[2017-06-01 10:43:00,000] INFO zookeeper state changed (Expired) (org.I0Itec.zkclient.ZkClient)',
      '[2017-06-01 10:43:00,100] INFO [SessionExpirationListener on 1], ZK expired; shut down all controller components and try to re-elect (kafka.controller.KafkaController$SessionExpirationListener)',
    ],
  },
  {
    id: 'kafka.zk.socket-error',
    title: 'Broker cannot reach a ZooKeeper server',
    category: 'network',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.zookeeper.ClientCnxn'],
    withCause: true,
    // ZK 3.4.13–3.5: INFO "Socket error occurred: server: message"; 3.4.6–3.4.10:
    // WARN "Session 0x0 for server null, unexpected error, …" + ConnectException;
    // 3.6+: WARN "Session 0x… for se(r)ver …, Closing socket connection. …" with
    // a java.net exception folded below.
    pattern: /^(?:Socket error occurred: |Session (?<session>0x[0-9a-f]+) for (?:server|sever) )(?<server>[^\s,]+)(?:: (?<error>[^\n]+)|, unexpected error, closing socket connection and attempting reconnect|, Closing socket connection\.[^\n]*\n(?:Caused by: )?java\.net\.(?<exception>\w+))/,
    effect: { signal: 'zk-contact-lost' },
    samples: [
      '[2024-02-23 08:20:34,530] INFO Socket error occurred: 10.0.0.220/10.0.0.220:2181: No route to host (org.apache.zookeeper.ClientCnxn)',
      '[2020-05-01 10:42:00,000] INFO Socket error occurred: zk1/10.0.0.11:2181: Connection refused (org.apache.zookeeper.ClientCnxn)',
      '[2018-04-02 10:48:05,071] WARN Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect (org.apache.zookeeper.ClientCnxn)\njava.net.ConnectException: Connection refused',
      '[2023-05-01 10:42:00,000] WARN Session 0x0 for sever localhost/127.0.0.1:2181, Closing socket connection. Attempting reconnect except it is a SessionExpiredException. (org.apache.zookeeper.ClientCnxn)\njava.net.ConnectException: Connection refused',
    ],
  },
  {
    id: 'kafka.zk.disconnected',
    title: 'Broker disconnected from a ZooKeeper server',
    category: 'zk-session',
    severity: 'warn',
    appliesTo: ['kafka-broker'],
    loggers: ['org.apache.zookeeper.ClientCnxn', 'org.I0Itec.zkclient.ZkClient'],
    keyword: ['Closing socket connection', 'likely server has closed socket', '(Disconnected)'],
    // Any other drop: the server closed the socket (3.4/3.5 INFO "Unable to
    // read additional data from server …"), or 3.6+'s generic WARN whose folded
    // cause says why (EndOfStreamException, SessionTimeoutException, …).
    pattern: /^(?:Session |Unable to read additional data from server sessionid )(?<session>0x[0-9a-f]+)(?: for (?:server|sever) (?<server>[^\s,]+), Closing socket connection|, likely server has closed socket)|^zookeeper state changed \(Disconnected\)/,
    // Routine on its own (the client moves to another server); it dates a
    // cut only when the session then expires.
    effect: { signal: 'zk-dropped' },
    samples: [
      '[2019-05-01 10:42:00,000] INFO Unable to read additional data from server sessionid 0x16a7b3c4d5e0001, likely server has closed socket, closing socket connection and attempting reconnect (org.apache.zookeeper.ClientCnxn)',
      '[2023-05-01 10:41:00,001] WARN Session 0x100000a1b2c0003 for sever zk1/10.0.0.11:2181, Closing socket connection. Attempting reconnect except it is a SessionExpiredException. (org.apache.zookeeper.ClientCnxn)\norg.apache.zookeeper.ClientCnxn$SessionTimeoutException: Client session timed out, have not heard from server in 12004ms for session id 0x100000a1b2c0003',
      '[2024-05-01 10:41:00,001] WARN Session 0x100000a1b2c0003 for server zk1/10.0.0.11:2181, Closing socket connection. Attempting reconnect except it is a SessionExpiredException. (org.apache.zookeeper.ClientCnxn)\nEndOfStreamException: Unable to read additional data from server sessionid 0x100000a1b2c0003, likely server has closed socket',
      '[2017-06-01 10:42:00,000] INFO zookeeper state changed (Disconnected) (org.I0Itec.zkclient.ZkClient)',
    ],
  },
];
