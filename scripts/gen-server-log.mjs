#!/usr/bin/env node
// Writes a deterministic, realistic Kafka server.log of about --size bytes:
// routine traffic, incident bursts and ~2% stack-trace lines. Used to measure
// memory and speed on large inputs (never in a timed unit test).
//   node scripts/gen-server-log.mjs --size 1G --out /tmp/server.log
import { createWriteStream } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const units = { K: 1 << 10, M: 1 << 20, G: 1 << 30 };
const sizeArg = String(args.size ?? '100M');
const target = Number.parseFloat(sizeArg) * (units[sizeArg.slice(-1).toUpperCase()] ?? 1);
const out = createWriteStream(args.out ?? '/tmp/kforensics-server.log');

// mulberry32: small, deterministic, and without the LCG's correlated draws.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
};
let t = Date.UTC(2024, 1, 23, 0, 0, 0);
const pad = (n, w = 2) => String(n).padStart(w, '0');
const stamp = () => {
  const d = new Date(t);
  return `[${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}]`;
};
const routine = [
  () => `INFO [GroupMetadataManager brokerId=2] Removed 0 expired offsets in ${Math.floor(rand() * 5)} milliseconds. (kafka.coordinator.group.GroupMetadataManager)`,
  () => `INFO [Log partition=orders-${Math.floor(rand() * 12)}, dir=/var/kafka/data] Rolled new log segment at offset ${Math.floor(rand() * 1e7)} in 3 ms. (kafka.log.Log)`,
  () => `INFO [ProducerStateManager partition=orders-${Math.floor(rand() * 12)}] Writing producer snapshot at offset ${Math.floor(rand() * 1e7)} (kafka.log.ProducerStateManager)`,
  () => `INFO [Log partition=orders-${Math.floor(rand() * 12)}, dir=/var/kafka/data] Deleting segment ${Math.floor(rand() * 1e7)} (kafka.log.Log)`,
  () => `DEBUG [Controller id=2] Preferred replicas by broker Map(1 -> Map(orders-0 -> Vector(1, 2, 3)), 2 -> Map(orders-1 -> Vector(2, 3, 1))) (kafka.controller.KafkaController)`,
  () => `INFO [GroupCoordinator 2]: Member consumer-${Math.floor(rand() * 40)}-1 in group billing has failed, removing it from the group (kafka.coordinator.group.GroupCoordinator)`,
  () => `WARN [SocketServer brokerId=2] Unexpected error from /10.0.0.${Math.floor(rand() * 250)}; closing connection (org.apache.kafka.common.network.Selector)`,
];
const incident = [
  () => `INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-${Math.floor(rand() * 12)}, __consumer_offsets-${Math.floor(rand() * 50)}) (kafka.server.ReplicaFetcherManager)`,
  () => `INFO [Partition orders-${Math.floor(rand() * 12)} broker=2] Shrinking ISR from 1,2,3 to 2,3. Leader: (highWatermark: 1500, endOffset: 1520). Out of sync replicas: (brokerId: 1, endOffset: 1400). (kafka.cluster.Partition)`,
  () => `WARN Client session timed out, have not heard from server in 12004ms for sessionid 0x100000a1b2c0003 (org.apache.zookeeper.ClientCnxn)`,
];
const stack = [
  'java.io.IOException: Connection to 1 was disconnected before the response was read',
  '\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)',
  '\tat kafka.server.ReplicaFetcherBlockingSend.sendRequest(ReplicaFetcherBlockingSend.scala:108)',
  '\tat kafka.server.ReplicaFetcherThread.fetchFromLeader(ReplicaFetcherThread.scala:206)',
];

let written = 0;
let events = 0;
function next() {
  let ok = true;
  while (ok && written < target) {
    let chunk = '';
    for (let i = 0; i < 1000; i++) {
      t += Math.floor(rand() * 40);
      const r = rand();
      let line;
      if (r < 0.003) {
        line = `${stamp()} ${incident[Math.floor(rand() * incident.length)]()}\n`;
        events++;
      } else if (r < 0.008) {
        line = `${stamp()} WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=2, maxWait=500) (kafka.server.ReplicaFetcherThread)\n${stack.join('\n')}\n`;
      } else {
        line = `${stamp()} ${routine[Math.floor(rand() * routine.length)]()}\n`;
      }
      chunk += line;
    }
    written += Buffer.byteLength(chunk);
    ok = out.write(chunk);
  }
  if (written < target) out.once('drain', next);
  else out.end(() => process.stderr.write(`wrote ${written} bytes, ${events} incident lines\n`));
}
next();
