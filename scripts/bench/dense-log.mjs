// An event-dense Kafka log: broker 2, the controller of a three-broker
// ZooKeeper-mode cluster (Kafka 2.8–3.x), every logger in one file as a
// container's standard output holds it (server, controller and state-change
// lines together). A share of the lines (default 12.5 %) are classified
// events of many kinds, written as incidents unfold: ISR shrinking and
// expanding again, leadership moving (fetchers removed and added,
// truncation), brokers failing and coming back (the controller's broker
// change, offline replicas and partitions, elections on their return, fetch
// errors), ZooKeeper sessions timing out, expiring and being re-established
// (the controller resigning and being elected again). Each event line is one
// the catalogue classifies; the generator counts them.
import { log4jTime, seeded } from './random.mjs';
import { writeUntil } from './write-lines.mjs';

const TOPICS = [['orders', 12], ['payments', 6], ['__consumer_offsets', 50], ['audit', 3]];
const TOPIC_IDS = { orders: 'q0CwXcYbS8OmJ2l1b7Fv3Q', payments: 'FQl7uE37TLu471FHQIVNzg', __consumer_offsets: 'x9sD0cTqR3aW1b5kLmZp2g', audit: 'Hh3u7Vb2S0ey1Qp8cXw4nA' };

/**
 * @param {string} path
 * @param {number} bytes  about how much to write
 * @param {{ seed?: number, share?: number }} [o]  share: the part of all lines that are events
 */
export async function writeDenseLog(path, bytes, o = {}) {
  const rand = seeded(o.seed ?? 11);
  const share = o.share ?? 0.125;
  const pick = (n) => Math.floor(rand() * n);
  const one = (xs) => xs[pick(xs.length)];
  let t = Date.UTC(2024, 1, 23, 0, 0, 0);
  const truth = { lines: 0, records: 0, events: 0, byRule: {}, firstTime: t, lastTime: t };
  let epoch = 17;
  let session = 0x200000de6bd0003;
  let zkVersion = 40;
  const down = new Set();
  /** Lines due later in an incident: [time, text, rule | null, continuation lines]. */
  let due = [];
  const later = (ms, text, rule, more = []) => { due.push([t + ms, text, rule, more]); due.sort((a, b) => a[0] - b[0]); };
  const partition = () => { const [topic, n] = one(TOPICS); return `${topic}-${pick(n)}`; };
  const partitions = (k) => [...new Set(Array.from({ length: k }, partition))];
  const live = () => [1, 2, 3].filter((b) => !down.has(b)).join(',');
  const others = (b) => [1, 2, 3].filter((x) => x !== b);

  let chunk = '';
  const line = (at, text, rule, more = []) => {
    chunk += `[${log4jTime(at)}] ${text}\n`;
    truth.records++;
    truth.lines += 1 + more.length;
    for (const m of more) chunk += `${m}\n`;
    if (rule) {
      truth.events++;
      truth.byRule[rule] = (truth.byRule[rule] ?? 0) + 1;
    }
  };
  const now = (text, rule, more) => line(t, text, rule, more);

  const routine = [
    () => `INFO [LocalLog partition=${partition()}, dir=/var/kafka/data] Rolled new log segment at offset ${pick(1e7)} in ${1 + pick(9)} ms. (kafka.log.LocalLog)`,
    () => `INFO [ProducerStateManager partition=${partition()}] Wrote producer snapshot at offset ${pick(1e7)} with 0 producer ids in ${pick(5)} ms. (kafka.log.ProducerStateManager)`,
    () => `INFO [UnifiedLog partition=${partition()}, dir=/var/kafka/data] Deleting segment LogSegment(baseOffset=${pick(1e7)}, size=${pick(1 << 30)}, lastModifiedTime=${t - 604_800_000}, largestRecordTimestamp=Some(${t - 604_800_000})) due to retention time 604800000ms breach based on the largest record timestamp in the segment (kafka.log.UnifiedLog)`,
    () => `INFO [GroupCoordinator 2]: Preparing to rebalance group billing-${pick(20)} in state PreparingRebalance with old generation ${pick(500)} (__consumer_offsets-${pick(50)}) (reason: Adding new member consumer-billing-${pick(40)}-1-${pick(1e6)} with group instance id None) (kafka.coordinator.group.GroupCoordinator)`,
    () => `INFO [GroupCoordinator 2]: Stabilized group billing-${pick(20)} generation ${pick(500)} (__consumer_offsets-${pick(50)}) with ${1 + pick(8)} members (kafka.coordinator.group.GroupCoordinator)`,
    () => `INFO [GroupCoordinator 2]: Assignment received from leader consumer-billing-${pick(40)}-1-${pick(1e6)} for group billing-${pick(20)} for generation ${pick(500)}. The group has ${1 + pick(8)} members, 0 of which are static. (kafka.coordinator.group.GroupCoordinator)`,
    () => `WARN [SocketServer listenerType=ZK_BROKER, nodeId=2] Unexpected error from /10.0.${pick(4)}.${pick(250)} (channelId=10.0.0.2:9092-10.0.${pick(4)}.${pick(250)}:${40000 + pick(20000)}-${pick(9)}); closing connection (org.apache.kafka.common.network.Selector)`,
    () => `INFO [Controller id=2] Processing automatic preferred replica leader election (kafka.controller.KafkaController)`,
    () => `TRACE [Controller id=2] Checking need to trigger auto leader balancing (kafka.controller.KafkaController)`,
    () => `DEBUG [Controller id=2] Topics not in preferred replica for broker ${1 + pick(3)} HashMap() (kafka.controller.KafkaController)`,
    () => `INFO [Admin Manager on Broker 2]: Updating topic ${one(TOPICS)[0]} with new configuration : retention.ms -> ${pick(10) * 86_400_000} (kafka.server.ZkAdminManager)`,
    () => `INFO [Partition ${partition()} broker=2] Log loaded for partition ${partition()} with initial high watermark ${pick(1e6)} (kafka.cluster.Partition)`,
  ];

  // --- incidents -------------------------------------------------------
  /** A replica falls behind and catches up: ISR shrink, the AlterPartition result, then the expansion. */
  const isrFlap = () => {
    const p = partition();
    const lagging = one([1, 3]);
    const isr = [2, ...others(2)];
    const to = isr.filter((b) => b !== lagging);
    const hw = pick(1e7);
    now(`INFO [Partition ${p} broker=2] Shrinking ISR from ${isr.join(',')} to ${to.join(',')}. Leader: (highWatermark: ${hw}, endOffset: ${hw + 1 + pick(500)}). Out of sync replicas: (brokerId: ${lagging}, endOffset: ${hw - pick(5000)}). (kafka.cluster.Partition)`, 'kafka.isr.shrink');
    zkVersion++;
    later(2 + pick(30), `INFO [Partition ${p} broker=2] ISR updated to ${to.join(',')} and version updated to ${zkVersion} (kafka.cluster.Partition)`, 'kafka.isr.updated');
    const back = 2000 + pick(30_000);
    later(back, `INFO [Partition ${p} broker=2] Expanding ISR from ${to.join(',')} to ${isr.join(',')} (kafka.cluster.Partition)`, 'kafka.isr.expand');
    later(back + 3 + pick(20), `INFO [Partition ${p} broker=2] ISR updated to ${isr.join(',')} and version updated to ${zkVersion + 1} (kafka.cluster.Partition)`, 'kafka.isr.updated');
    zkVersion++;
  };
  /** Leadership of a few partitions moves to another broker: this one becomes their follower. */
  const leadershipMove = () => {
    const ps = partitions(1 + pick(4));
    const leader = one([1, 3]);
    const offset = pick(1e7);
    now(`INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions HashSet(${ps.join(', ')}) (kafka.server.ReplicaFetcherManager)`, 'kafka.fetcher.removed');
    const map = ps.map((p) => `${p} -> InitialFetchState(Some(${TOPIC_IDS[p.replace(/-\d+$/, '')]}),BrokerEndPoint(id=${leader}, host=kafka${leader}:9092),${epoch},${offset})`).join(', ');
    later(5 + pick(40), `INFO [ReplicaFetcherManager on broker 2] Added fetcher to broker ${leader} for partitions HashMap(${map}) (kafka.server.ReplicaFetcherManager)`, 'kafka.fetcher.added');
    for (const p of ps) {
      const at = 60 + pick(200);
      later(at, `INFO [ReplicaFetcher replicaId=2, leaderId=${leader}, fetcherId=0] Truncating partition ${p} with TruncationState(offset=${offset}, completed=true) due to leader epoch and offset EpochEndOffset(errorCode=0, partition=${p.replace(/^.*-/, '')}, leaderEpoch=${epoch}, endOffset=${offset}) (kafka.server.ReplicaFetcherThread)`, 'kafka.truncation.fetcher');
      later(at + 1, `INFO [UnifiedLog partition=${p}, dir=/var/kafka/data] Truncating to offset ${offset} (kafka.log.UnifiedLog)`, 'kafka.truncation.log');
    }
  };
  /** Another broker dies and comes back; this broker is the controller. */
  const brokerFailure = () => {
    const b = one(others(2).filter((x) => !down.has(x)));
    if (b === undefined) return isrFlap();
    down.add(b);
    now(`WARN [ReplicaFetcher replicaId=2, leaderId=${b}, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=2, maxWait=500, minBytes=1, maxBytes=10485760, fetchData={${partition()}=(fetchOffset=${pick(1e7)}, logStartOffset=0, maxBytes=1048576, currentLeaderEpoch=Optional[${epoch}])}, isolationLevel=READ_UNCOMMITTED, toForget=, metadata=(sessionId=${pick(2e9)}, epoch=${pick(5000)})) (kafka.server.ReplicaFetcherThread)`, 'kafka.fetch.disconnected', [
      `java.io.IOException: Connection to ${b} was disconnected before the response was read`,
      '\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)',
      '\tat kafka.server.ReplicaFetcherBlockingSend.sendRequest(ReplicaFetcherBlockingSend.scala:110)',
      '\tat kafka.server.ReplicaFetcherThread.fetchFromLeader(ReplicaFetcherThread.scala:217)',
    ]);
    for (let k = 0; k < 1 + pick(4); k++) {
      later(100 + k * 2000 + pick(100), `WARN [ReplicaFetcher replicaId=2, leaderId=${b}, fetcherId=0] Connection to node ${b} (kafka${b}/10.0.0.1${b}:9092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)`, 'kafka.network.connection-failed');
    }
    const noticed = 6000 + pick(12_000);
    later(noticed, `INFO [Controller id=2] Newly added brokers: , deleted brokers: ${b}, bounced brokers: , all live brokers: ${live()} (kafka.controller.KafkaController)`, 'kafka.controller.broker-change');
    later(noticed + 2, `INFO [Controller id=2] Broker failure callback for ${b} (kafka.controller.KafkaController)`, 'kafka.controller.broker-failure');
    const led = partitions(1 + pick(5));
    const solo = `audit-${pick(3)}`;
    led.forEach((p, i) => later(noticed + 10 + i, `TRACE [Controller id=2 epoch=${epoch}] Changed state of replica ${b} for partition ${p} from OnlineReplica to OfflineReplica (state.change.logger)`, 'kafka.controller.replica-offline'));
    later(noticed + 20, `TRACE [Controller id=2 epoch=${epoch}] Changed partition ${solo} state from OnlinePartition to OfflinePartition (state.change.logger)`, 'kafka.controller.offline-partition');
    const hw = pick(1e7);
    led.forEach((p, i) => later(noticed + 30 + i, `INFO [Partition ${p} broker=2] Shrinking ISR from 2,${b} to 2. Leader: (highWatermark: ${hw}, endOffset: ${hw + pick(100)}). Out of sync replicas: (brokerId: ${b}, endOffset: ${hw - pick(1000)}). (kafka.cluster.Partition)`, 'kafka.isr.shrink'));
    const back = noticed + 20_000 + pick(90_000);
    later(back, `INFO [Controller id=2] Newly added brokers: ${b}, deleted brokers: , bounced brokers: , all live brokers: 1,2,3 (kafka.controller.KafkaController)`, 'kafka.controller.broker-change');
    later(back + 15, `INFO [Controller id=2 epoch=${epoch}] Changed partition ${solo} from OfflinePartition to OnlinePartition with state LeaderAndIsr(leader=${b}, leaderEpoch=${epoch + 1}, isr=List(${b}), zkVersion=${zkVersion}) (state.change.logger)`, 'kafka.controller.partition-online');
    led.forEach((p, i) => later(back + 4000 + i * 37, `INFO [Partition ${p} broker=2] Expanding ISR from 2 to 2,${b} (kafka.cluster.Partition)`, 'kafka.isr.expand'));
    due.push([back + 5000, null, () => down.delete(b), []]);
    due.sort((x, y) => x[0] - y[0]);
  };
  /** This broker's ZooKeeper session times out; re-established, or expired (the controller resigns, and is elected again). */
  const zkSession = () => {
    const id = `0x${session.toString(16)}`;
    const zk = 1 + pick(3);
    now(`WARN Client session timed out, have not heard from server in ${12_000 + pick(20)}ms for session id ${id} (org.apache.zookeeper.ClientCnxn)`, 'kafka.zk.session-timeout');
    later(1, `WARN Session ${id} for server zk${zk}/10.0.0.2${zk}:2181, Closing socket connection. Attempting reconnect except it is a SessionExpiredException. (org.apache.zookeeper.ClientCnxn)`, 'kafka.zk.disconnected', [
      `org.apache.zookeeper.ClientCnxn$SessionTimeoutException: Client session timed out, have not heard from server in 12004ms for session id ${id}`,
      '\tat org.apache.zookeeper.ClientCnxn$SendThread.run(ClientCnxn.java:1258)',
    ]);
    const next = 1 + (zk % 3);
    if (rand() < 0.6) {
      later(800 + pick(3000), `INFO Session establishment complete on server zk${next}/10.0.0.2${next}:2181, session id = ${id}, negotiated timeout = 18000 (org.apache.zookeeper.ClientCnxn)`, 'kafka.zk.session-established');
      return;
    }
    const at = 6000 + pick(12_000);
    later(at, `WARN Unable to reconnect to ZooKeeper service, session ${id} has expired (org.apache.zookeeper.ClientCnxn)`, 'kafka.zk.session-expired');
    later(at + 2, 'INFO [ZooKeeperClient Kafka server] Session expired. (kafka.zookeeper.ZooKeeperClient)', 'kafka.zk.session-expired');
    later(at + 9, 'INFO [Controller id=2] Resigned (kafka.controller.KafkaController)', 'kafka.controller.state-reset');
    later(at + 12, 'INFO Initiating client connection, connectString=zk1:2181,zk2:2181,zk3:2181/kafka sessionTimeout=18000 watcher=kafka.zookeeper.ZooKeeperClient$ZooKeeperClientWatcher$@19e7a160 (org.apache.zookeeper.ZooKeeper)', 'kafka.zk.client-connecting');
    session += 1 + pick(5);
    const fresh = `0x${session.toString(16)}`;
    later(at + 40 + pick(200), `INFO Session establishment complete on server zk${next}/10.0.0.2${next}:2181, session id = ${fresh}, negotiated timeout = 18000 (org.apache.zookeeper.ClientCnxn)`, 'kafka.zk.session-established');
    epoch++;
    later(at + 400 + pick(500), `INFO [Controller id=2] 2 successfully elected as the controller. Epoch incremented to ${epoch} and epoch zk version is now ${epoch - 1} (kafka.controller.KafkaController)`, 'kafka.controller.elected');
  };
  /** The controller loses the election to another broker. */
  const controllerMove = () => {
    now('INFO [Controller id=2] Controller moved to another broker when processing BrokerChange. (kafka.controller.KafkaController)', 'kafka.controller.moved');
    later(3 + pick(10), 'INFO [Controller id=2] Resigned (kafka.controller.KafkaController)', 'kafka.controller.state-reset');
    epoch += 2;
    later(60_000 + pick(60_000), `INFO [Controller id=2] 2 successfully elected as the controller. Epoch incremented to ${epoch} and epoch zk version is now ${epoch - 1} (kafka.controller.KafkaController)`, 'kafka.controller.elected');
  };
  const offsetsExpired = () => now(`INFO [GroupMetadataManager brokerId=2] Removed ${pick(3)} expired offsets in ${pick(30)} milliseconds. (kafka.coordinator.group.GroupMetadataManager)`, 'kafka.group.offsets-expired');
  const incidents = [[isrFlap, 40], [leadershipMove, 25], [brokerFailure, 8], [zkSession, 12], [controllerMove, 5], [offsetsExpired, 10]];
  const weight = incidents.reduce((s, [, w]) => s + w, 0);
  const incident = () => {
    let r = rand() * weight;
    for (const [f, w] of incidents) if ((r -= w) < 0) return f();
    return offsetsExpired();
  };

  const written = await writeUntil(path, bytes, () => {
    chunk = '';
    for (let i = 0; i < 2000; i++) {
      t += pick(40);
      while (due.length > 0 && due[0][0] <= t) {
        const [at, text, rule, more] = due.shift();
        if (text === null) rule();
        else line(at, text, rule, more);
      }
      if (truth.events < share * truth.lines && rand() < 0.05) incident();
      else now(routine[pick(routine.length)]());
    }
    return chunk;
  });
  truth.lastTime = t;
  return { bytes: written, ...truth };
}
