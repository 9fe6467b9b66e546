import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputJson } from '../../src/model/timeline.js';
import { Zone } from '../../src/time/zone.js';
import { buildTimeline } from '../../src/read/build.js';
import { toEventJson } from '../../src/timeline/event.js';
import { tempDir } from '../helpers/tmp.js';
import { kafkaLogSample } from './kafka-log-sample.js';
import { eventsOf } from '../../src/timeline/run.js';
import { verifySeek, verifySeekInParallel } from '../../src/read/kafka-ranges.js';

// --since on a large plain file seeks by binary search on record times; the
// events must be exactly those of reading the whole file, with the file's
// own line numbers, and the accounting must say which lines were read.
const zone = new Zone('UTC');

async function run(path: string, since: number, seek: boolean) {
  const timeline = await buildTimeline([path], { zone, seek, filter: { since } });
  const events: string[] = [];
  for await (const batch of timeline.eventBatches) for (const item of batch) for (const e of eventsOf(item)) events.push(JSON.stringify(toEventJson(e, zone)));
  return { events, inputs: timeline.inputs(), seeks: timeline.seeks() };
}

describe('--since seek in plain Kafka-layout files', () => {
  const dir = tempDir();
  const sample = kafkaLogSample(3 << 20);
  const path = dir.write('broker/server.log', sample.text);
  const lines = sample.text.split('\n');
  // A time about three quarters into the file.
  const since = Date.parse(`${lines[Math.floor(lines.length * 0.75)]!.slice(1, 24).replace(' ', 'T').replace(',', '.')}Z`);
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.KF_SEEK_MIN_BYTES;
    process.env.KF_SEEK_MIN_BYTES = '0';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.KF_SEEK_MIN_BYTES;
    else process.env.KF_SEEK_MIN_BYTES = saved;
  });

  it('gives the events of a whole read, with their line numbers, reading only from the seek', async () => {
    const whole = await run(path, since, false);
    const sought = await run(path, since, true);
    expect(whole.seeks).toEqual([]);
    expect(whole.events.length).toBeGreaterThan(100);
    expect(sought.events).toEqual(whole.events);
    expect(sought.seeks).toHaveLength(1);
    const { seek } = sought.seeks[0]!;
    expect(seek.byte).toBeGreaterThan(sample.text.length / 2);
    // The seek lands on a record start whose line number is the lines before it + 1.
    expect(sample.text[seek.byte - 1]).toBe('\n');
    expect(sample.text.slice(0, seek.byte).split('\n').length - 1).toBe(seek.lines);
    expect(sample.text.slice(seek.byte, seek.byte + 3)).toMatch(/^\[20/);
    // Accounting covers the lines read, and adds up.
    const input = sought.inputs[0] as InputJson;
    expect(input.linesRead).toBe(sample.lines - seek.lines);
    expect(input.records + input.folded + input.unrecognised).toBe(input.linesRead);
    expect(input.unrecognised).toBe(0);
  });

  it('reads a file from the start when a seek would skip too little', async () => {
    process.env.KF_SEEK_MIN_BYTES = String(8 << 20);
    const sought = await run(path, since, true);
    expect(sought.seeks).toEqual([]);
    expect(sought.inputs[0]!.linesRead).toBe(sample.lines);
  });

  it('reads a file from the start when its records are not in time order', async () => {
    // The second half written before the first (two runs concatenated the wrong way).
    const half = sample.text.indexOf('\n[', sample.text.length >> 1) + 1;
    const swapped = dir.write('swapped/server.log', sample.text.slice(half) + sample.text.slice(0, half));
    const whole = await run(swapped, since, false);
    const sought = await run(swapped, since, true);
    expect(sought.seeks).toEqual([]);
    expect(sought.events).toEqual(whole.events);
  });

  it('reads a file from the start when the clock went backwards where the search did not probe', async () => {
    // A few records a day ahead of --since, a fifth into the file, then the clock set back:
    // the first, last and binary-search probes all see times in order.
    const at = sample.text.indexOf('\n[', Math.floor(sample.text.length / 5)) + 1;
    const ahead = Array.from({ length: 100 }, (_, i) => `[2030-01-02 00:00:${String(i % 60).padStart(2, '0')},000] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)\n`).join('');
    const jumped = dir.write('jumped/server.log', sample.text.slice(0, at) + ahead + sample.text.slice(at));
    const whole = await run(jumped, since, false);
    const sought = await run(jumped, since, true);
    expect(whole.events.filter((e) => e.includes('"2030-01-02')).length).toBe(100);
    expect(sought.seeks).toEqual([]);
    expect(sought.events).toEqual(whole.events);
  });

  it('checks every skipped record natively as the JavaScript check does, wherever a later one lies', async () => {
    // Parts of ~2 MiB: each read in buffers of 1 MiB, lines across their edges.
    const big = kafkaLogSample(10 << 20).text;
    const bigLines = big.split('\n');
    const target = Date.parse(`${bigLines[Math.floor(bigLines.length * 0.75)]!.slice(1, 24).replace(' ', 'T').replace(',', '.')}Z`) - 60_000;
    const to = big.indexOf('\n[', Math.floor(big.length * 0.7)) + 1;
    const text = big.slice(0, to);
    const plain = dir.write('verify/server.log', big);
    expect(await verifySeekInParallel(plain, 0, to, target, zone)).toBe(text.split('\n').length - 1);
    expect(verifySeek(plain, 0, to, target, zone)).toBe(text.split('\n').length - 1);
    // One record later than the target: the first line, the last one before `to`, and lines around the parts' edges and between.
    const starts = [0];
    for (let i = text.indexOf('\n['); i !== -1 && i + 1 < to; i = text.indexOf('\n[', i + 1)) starts.push(i + 1);
    const quarter = Math.ceil(to / 4);
    const picks = new Set([0, 1, starts.length - 1, starts.length - 2]);
    for (let k = 0; k < 4; k++) {
      // A part's first line, and the lines about its first buffer's end.
      for (const edge of [k * quarter, k * quarter + (1 << 20) - 24]) {
        const line = starts.findIndex((s) => s >= edge);
        for (const d of [-1, 0, 1]) if (line + d >= 0 && line + d < starts.length) picks.add(line + d);
      }
    }
    for (let k = 0; k < 12; k++) picks.add(Math.floor((starts.length * (k + 0.5)) / 12));
    const later = '[2030-01-02 00:00:00,000] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)\n';
    for (const pick of picks) {
      const at = starts[pick]!;
      const file = dir.write(`verify-${pick}/server.log`, text.slice(0, at) + later + text.slice(at));
      const end = to + later.length;
      expect([pick, await verifySeekInParallel(file, 0, end, target, zone)]).toEqual([pick, undefined]);
      expect([pick, verifySeek(file, 0, end, target, zone)]).toEqual([pick, undefined]);
    }
  });

  it('does not seek past records with a later time', async () => {
    const last = Date.parse('2030-01-01T00:00:00Z');
    const sought = await run(path, last, true);
    expect(sought.events).toEqual([]);
    // Nothing is at or after that time: reading starts near the end.
    expect(sought.inputs[0]!.linesRead).toBeLessThan(sample.lines / 10);
  });
});
