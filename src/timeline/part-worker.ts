import { parentPort, workerData } from 'node:worker_threads';
import { defaultClassifier } from '../catalogue/index.js';
import type { LogRecord } from '../model/record.js';
import { RecordReader } from '../readers/assembler.js';
import { newLineStats } from '../sources/lines.js';
import { Zone } from '../time/zone.js';
import { kafkaGate, readKafkaBytes } from './kafka-fast.js';
import { layoutFor, nodeOf, toEvent } from './read.js';
import type { PartJob, PartResult, PartWorkerData, WireEvent } from './parallel.js';

/**
 * A worker that reads parts of one plain Kafka-layout file at the byte level
 * (see parallel.ts): for each part asked, in the order asked, it posts the
 * part's events (line numbers counted from the part's start), its
 * accounting, and the times of its records that were in order, so the main
 * thread can count the records out of order against the parts before.
 */
const data = workerData as PartWorkerData;
const zone = new Zone(data.zone);
const layout = layoutFor(data.file, data.defaultRole);
const classifier = defaultClassifier();
const gate = kafkaGate(classifier, data.defaultRole, zone);
const skew = new Map(data.skew);
const family = { nodes: data.nodes, ...(data.mapped !== undefined && { mapped: data.mapped }) };

// One part at a time, in the order asked (reading one awaits the scanner, which the next must not share).
let queue = Promise.resolve();
parentPort!.on('message', (job: PartJob) => {
  queue = queue.then(() => readPart(job));
});

async function readPart(job: PartJob): Promise<void> {
  let result: PartResult;
  try {
    const reader = new RecordReader(layout, zone);
    reader.inOrderTimes = [];
    reader.inOrderLimit = Number.POSITIVE_INFINITY;
    const stats = newLineStats();
    const events: WireEvent[] = [];
    const nodes = new Set<string>();
    const take = (record: LogRecord | undefined): void => {
      if (!record) return;
      const node = nodeOf(record, family);
      nodes.add(node);
      const ms = skew.get(node);
      if (ms !== undefined) record.time -= ms;
      const event = toEvent(record, data.file.path, family, classifier, false);
      if (event) events.push({ ...event, rule: event.rule?.id ?? null });
    };
    // A read error is thrown as is: the main thread then reads this part itself.
    for await (const _ of readKafkaBytes(data.file.path, reader, gate, stats, take, () => false, job.from, job.to)) { /* read on */ }
    take(reader.end());
    result = {
      index: job.index,
      events,
      counts: reader.counts,
      inOrder: Float64Array.from(reader.inOrderTimes),
      latest: reader.latestTime,
      nodes: [...nodes],
      skippedRoles: [...reader.skippedRoles],
      clockNotes: reader.clockNotes,
      stats,
    };
  } catch (e) {
    result = { index: job.index, error: String(e) };
  }
  parentPort!.postMessage(result);
}
