// A realistic Kafka server.log: routine traffic, incident bursts and ~2 %
// stack-trace lines. The generator counts what it wrote, so the benchmark can
// check kforensics and grep against the truth.
import { log4jTime, seeded } from './random.mjs';
import { writeUntil } from './write-lines.mjs';

/** One literal per event kind written: the grep alternation the bench races. */
export const EVENT_PATTERNS = ['Removed fetcher for partitions', 'Shrinking ISR', 'Client session timed out', 'Error in response for fetch request', 'expired offsets in'];

export async function writeServerLog(path, bytes, seed = 42) {
  const rand = seeded(seed);
  const pick = (n) => Math.floor(rand() * n);
  let t = Date.UTC(2024, 1, 23, 0, 0, 0);
  const truth = { lines: 0, records: 0, events: 0, removedFetcher: 0, firstTime: t, lastTime: t };
  const routine = [
    () => `INFO [Log partition=orders-${pick(12)}, dir=/var/kafka/data] Rolled new log segment at offset ${pick(1e7)} in 3 ms. (kafka.log.Log)`,
    () => `INFO [ProducerStateManager partition=orders-${pick(12)}] Writing producer snapshot at offset ${pick(1e7)} (kafka.log.ProducerStateManager)`,
    () => `INFO [Log partition=orders-${pick(12)}, dir=/var/kafka/data] Deleting segment ${pick(1e7)} (kafka.log.Log)`,
    () => `DEBUG [Controller id=2] Preferred replicas by broker Map(1 -> Map(orders-0 -> Vector(1, 2, 3)), 2 -> Map(orders-1 -> Vector(2, 3, 1))) (kafka.controller.KafkaController)`,
    () => `INFO [GroupCoordinator 2]: Member consumer-${pick(40)}-1 in group billing has failed, removing it from the group (kafka.coordinator.group.GroupCoordinator)`,
    () => `WARN [SocketServer brokerId=2] Unexpected error from /10.0.0.${pick(250)}; closing connection (org.apache.kafka.common.network.Selector)`,
    () => `INFO [Partition orders-${pick(12)} broker=2] Log loaded for partition orders-${pick(12)} with initial high watermark ${pick(1e6)} (kafka.cluster.Partition)`,
  ];
  const events = [
    () => { truth.removedFetcher++; return `INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-${pick(12)}, __consumer_offsets-${pick(50)}) (kafka.server.ReplicaFetcherManager)`; },
    () => `INFO [Partition orders-${pick(12)} broker=2] Shrinking ISR from 1,2,3 to 2,3. Leader: (highWatermark: 1500, endOffset: 1520). Out of sync replicas: (brokerId: 1, endOffset: 1400). (kafka.cluster.Partition)`,
    () => `WARN Client session timed out, have not heard from server in 12004ms for sessionid 0x100000a1b2c0003 (org.apache.zookeeper.ClientCnxn)`,
    () => `INFO [GroupMetadataManager brokerId=2] Removed 0 expired offsets in ${pick(5)} milliseconds. (kafka.coordinator.group.GroupMetadataManager)`,
  ];
  const stack = [
    'java.io.IOException: Connection to 1 was disconnected before the response was read',
    '\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)',
    '\tat kafka.server.ReplicaFetcherBlockingSend.sendRequest(ReplicaFetcherBlockingSend.scala:108)',
    '\tat kafka.server.ReplicaFetcherThread.fetchFromLeader(ReplicaFetcherThread.scala:206)',
  ];
  const written = await writeUntil(path, bytes, () => {
    let chunk = '';
    for (let i = 0; i < 2000; i++) {
      t += pick(40);
      const r = rand();
      truth.records++;
      if (r < 0.004) {
        // A burst: the same event on several lines within a few milliseconds.
        const e = events[pick(events.length)];
        const n = 1 + pick(6);
        for (let k = 0; k < n; k++) {
          if (k > 0) { t += pick(3); truth.records++; }
          chunk += `[${log4jTime(t)}] ${e()}\n`;
          truth.events++;
        }
      } else if (r < 0.009) {
        chunk += `[${log4jTime(t)}] WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=2, maxWait=500, minBytes=1) (kafka.server.ReplicaFetcherThread)\n${stack.join('\n')}\n`;
        truth.events++;
        truth.lines += stack.length;
      } else {
        chunk += `[${log4jTime(t)}] ${routine[pick(routine.length)]()}\n`;
      }
    }
    return chunk;
  });
  truth.lines += truth.records;
  truth.lastTime = t;
  return { bytes: written, ...truth };
}
