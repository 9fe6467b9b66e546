#!/usr/bin/env node
// Writes a fleet of small Kafka logs as a support bundle holds them: BROKERS
// brokers' log folders, each with hourly-rotated server.log files
// (server.log.YYYY-MM-DD-HH, then server.log), a controller.log and a
// state-change.log, every broker logging through the same hours. Used to
// measure memory and descriptors with many inputs.
//   node scripts/gen-many-logs.mjs --brokers 400 --rotations 48 --out /tmp/many
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from './args.mjs';
import { log4jTime, seeded } from './bench/random.mjs';

const { values } = scriptArgs(`Usage: node scripts/gen-many-logs.mjs [--brokers N] [--rotations N] [--lines N] [--out DIR]

Writes BROKERS folders broker-<id>/, each with ROTATIONS hourly server.log
rotations plus the current server.log, a controller.log and a
state-change.log (ROTATIONS + 3 files a broker; 400 brokers x 47 rotations
is 20,000 files), LINES lines each, all brokers logging through the same
hours; a broker in ten is restarted once. Prints on stderr, as JSON, what it
wrote.

  --brokers N     broker folders (default 400)
  --rotations N   rotated server.log files per broker (default 47)
  --lines N       lines per file (default 40)
  --out DIR       where (default /tmp/kforensics-many)
  -h, --help      this text`, {
  brokers: { type: 'string', default: '400' },
  rotations: { type: 'string', default: '47' },
  lines: { type: 'string', default: '40' },
  out: { type: 'string', default: '/tmp/kforensics-many' },
});
const brokers = Number(values.brokers);
const rotations = Number(values.rotations);
const lines = Number(values.lines);
if (![brokers, rotations, lines].every((n) => Number.isInteger(n) && n >= 1)) {
  process.stderr.write(`--brokers, --rotations and --lines are whole numbers of 1 or more; got ${brokers}, ${rotations}, ${lines}\n`);
  process.exit(2);
}
const HOUR = 3_600_000;
const t0 = Date.UTC(2024, 1, 23, 0, 0, 0);
const pad = (n) => String(n).padStart(2, '0');
const hourName = (t) => { const d = new Date(t); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}`; };
const truth = { files: 0, lines: 0, bytes: 0, restarts: 0 };

/** LINES lines spread over one hour from `start`; `event(k)` may give an event line for slot k. */
function hourOfLines(rand, start, routine, event) {
  const out = [];
  for (let k = 0; k < lines; k++) {
    const t = start + Math.floor((k + rand()) * (HOUR / lines));
    out.push(`[${log4jTime(t)}] ${event(k) ?? routine()}`);
  }
  return `${out.join('\n')}\n`;
}

for (let b = 1; b <= brokers; b++) {
  const rand = seeded(1000 + b);
  const pick = (n) => Math.floor(rand() * n);
  const dir = join(values.out, `broker-${b}`);
  mkdirSync(dir, { recursive: true });
  const write = (name, text) => {
    writeFileSync(join(dir, name), text);
    truth.files++;
    truth.lines += lines;
    truth.bytes += Buffer.byteLength(text);
  };
  const routine = () => [
    `INFO [Log partition=orders-${pick(12)}, dir=/var/kafka/data] Rolled new log segment at offset ${pick(1e7)} in 3 ms. (kafka.log.Log)`,
    `INFO [ProducerStateManager partition=orders-${pick(12)}] Writing producer snapshot at offset ${pick(1e7)} (kafka.log.ProducerStateManager)`,
    `INFO [GroupCoordinator ${b}]: Member consumer-${pick(40)}-1 in group billing has failed, removing it from the group (kafka.coordinator.group.GroupCoordinator)`,
  ][pick(3)];
  // A broker in ten restarts once, in the middle of the hours written.
  const restartAt = b % 10 === 0 ? Math.floor(rotations / 2) : -1;
  const serverEvent = (hour) => (k) => {
    if (hour === restartAt && k === 0) { truth.restarts++; return `INFO [KafkaServer id=${b}] shutting down (kafka.server.KafkaServer)`; }
    if (hour === restartAt && k === 1) return `INFO [KafkaServer id=${b}] shut down completed (kafka.server.KafkaServer)`;
    if (hour === restartAt && k === 2) return `INFO [KafkaServer id=${b}] starting (kafka.server.KafkaServer)`;
    if (hour === restartAt && k === 3) return `INFO [KafkaServer id=${b}] started (kafka.server.KafkaServer)`;
    if (k % 10 === 5) return `INFO [Partition orders-${pick(12)} broker=${b}] Shrinking ISR from ${b},${b + 1} to ${b}. Leader: (highWatermark: 1500, endOffset: 1520). Out of sync replicas: (brokerId: ${b + 1}, endOffset: 1400). (kafka.cluster.Partition)`;
    return undefined;
  };
  for (let h = 0; h < rotations; h++) write(`server.log.${hourName(t0 + h * HOUR)}`, hourOfLines(rand, t0 + h * HOUR, routine, serverEvent(h)));
  write('server.log', hourOfLines(rand, t0 + rotations * HOUR, routine, serverEvent(rotations)));
  const controller = () => `DEBUG [Controller id=${b}] Preferred replicas by broker Map(1 -> Map(orders-0 -> Vector(1, 2, 3))) (kafka.controller.KafkaController)`;
  write('controller.log', hourOfLines(rand, t0, controller, () => undefined));
  const change = () => `TRACE [Broker id=${b}] Cached leader info UpdateMetadataPartitionState(topicName='orders', partitionIndex=${pick(12)}, controllerEpoch=3, leader=${b}) (state.change.logger)`;
  write('state-change.log', hourOfLines(rand, t0, change, () => undefined));
}
process.stderr.write(`${JSON.stringify(truth)}\n`);
