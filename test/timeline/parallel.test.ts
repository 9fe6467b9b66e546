import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Zone } from '../../src/time/zone.js';
import { buildTimeline } from '../../src/timeline/build.js';
import { toEventJson } from '../../src/timeline/event.js';
import { tempDir } from '../helpers/tmp.js';
import { kafkaLogSample } from './kafka-log-sample.js';

// One large plain file read by two threads (parts cut at record starts, odd
// parts read by a worker) must give byte for byte the output and accounting
// of one thread. The thresholds are lowered so a few MB make many parts.
const zone = new Zone('UTC');
const PART = 256 << 10;

async function run(path: string) {
  const timeline = await buildTimeline([path], { zone });
  const lines: string[] = [];
  for await (const batch of timeline.eventBatches) for (const e of batch) lines.push(JSON.stringify(toEventJson(e, zone)));
  return { ndjson: lines.join('\n'), inputs: timeline.inputs() };
}

/** The sample with the first record after each nominal cut moved 10 s back: out of order only against the part before. */
function withLateRecordsAtCuts(text: string): string {
  const b = Buffer.from(text);
  for (let at = PART; at < b.length; at += PART) {
    const s = b.indexOf('\n[', at - 1) + 1;
    if (s === 0) break;
    const stamp = b.toString('latin1', s + 1, s + 24);
    const ms = Date.parse(`${stamp.replace(' ', 'T').replace(',', '.')}Z`) - 10_000;
    b.write(new Date(ms).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23), s + 1, 'latin1');
  }
  return b.toString('utf8');
}

describe('a large plain file read by two threads', () => {
  const dir = tempDir();
  const path = dir.write('broker/server.log', withLateRecordsAtCuts(kafkaLogSample(3 << 20, 11).text));
  const built = existsSync(new URL('../../dist/timeline/part-worker.js', import.meta.url));
  afterEach(() => {
    delete process.env.KF_PARALLEL_MIN_BYTES;
    delete process.env.KF_PART_BYTES;
  });

  it.skipIf(!built)('gives the NDJSON and accounting of one thread (needs `npm run build`)', async () => {
    const one = await run(path);
    process.env.KF_PARALLEL_MIN_BYTES = '0';
    process.env.KF_PART_BYTES = String(PART);
    const two = await run(path);
    expect(one.ndjson.split('\n').length).toBeGreaterThan(500);
    // The records moved back are out of order against the part before each cut.
    expect(one.inputs[0]!.outOfOrder).toBeGreaterThan(10);
    expect(two.inputs).toEqual(one.inputs);
    expect(two.ndjson).toBe(one.ndjson);
  });
});
