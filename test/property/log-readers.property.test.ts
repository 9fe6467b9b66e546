/**
 * Property tests of the two log layouts (Kafka log4j, ZooKeeper native): on
 * any input, no exception, and every line lands in exactly one place —
 * linesRead = records + folded + unrecognised, each unrecognised line
 * reported once with its line number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/model/record.js';
import { RecordReader, type Layout } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { zookeeperLayout } from '../../src/readers/zookeeper.js';
import { LineSplitter } from '../../src/sources/lines.js';
import { sniffLines } from '../../src/sources/sniff.js';
import { lineFix } from '../../src/sources/prefix.js';
import { Zone } from '../../src/time/zone.js';
import {
  anyLineArb, bytesArb, cutsArb, kafkaLineArb, PARAMS, TIMEOUT, zookeeperLineArb,
} from './arbitraries.js';

const UTC = new Zone('UTC');

interface Outcome { records: LogRecord[]; unrecognised: number[]; reader: RecordReader }

function readLines(lines: readonly string[], layout: Layout): Outcome {
  const unrecognised: number[] = [];
  const reader = new RecordReader(layout, UTC, (line) => unrecognised.push(line));
  const records: LogRecord[] = [];
  for (const line of lines) {
    const r = reader.push(line);
    if (r) records.push(r);
  }
  const last = reader.end();
  if (last) records.push(last);
  return { records, unrecognised, reader };
}

/** The accounting every reader owes, whatever it was fed. */
function checkAccounting({ records, unrecognised, reader }: Outcome, lineCount: number): void {
  const c = reader.counts;
  expect(c.linesRead).toBe(lineCount);
  expect(c.linesRead).toBe(c.records + c.folded + c.unrecognised);
  expect(c.records).toBe(records.length);
  expect(c.unrecognised).toBe(unrecognised.length);
  expect(c.badTimestamps).toBeLessThanOrEqual(c.unrecognised);
  expect(records.reduce((n, r) => n + r.folded, 0)).toBe(c.folded);
  // Each unrecognised line reported once, by its own number, in order.
  expect(new Set(unrecognised).size).toBe(unrecognised.length);
  for (const n of unrecognised) expect(n >= 1 && n <= lineCount).toBe(true);
  for (const r of records) {
    expect(Number.isFinite(r.time)).toBe(true);
    expect(r.line >= 1 && r.line <= lineCount).toBe(true);
  }
}

function splitChunks(bytes: Uint8Array, cuts: readonly number[]): string[] {
  const s = new LineSplitter();
  const lines: string[] = [];
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    lines.push(...s.push(bytes.slice(from, at)));
    from = at;
  }
  return [...lines, ...s.end()];
}

const LAYOUTS = [
  { name: 'Kafka log4j', layout: kafkaLog4jLayout('kafka-broker'), valid: kafkaLineArb, other: zookeeperLineArb },
  { name: 'ZooKeeper native', layout: zookeeperLayout, valid: zookeeperLineArb, other: kafkaLineArb },
] as const;

describe.each(LAYOUTS)('$name reader (property)', ({ layout, valid, other }) => {
  it('accounts for every line of any mix of valid, damaged, foreign and random lines', () => {
    fc.assert(fc.property(fc.array(anyLineArb(valid, other), { maxLength: 60 }), (lines) => {
      checkAccounting(readLines(lines, layout), lines.length);
    }), PARAMS);
  }, TIMEOUT);

  it('reads every valid line as a record with its own time, continuations folded into it', () => {
    const item = fc.tuple(valid, fc.array(fc.constantFrom('\tat a.B.c(B.java:1)', 'Caused by: java.io.IOException: x', '\t... 3 more'), { maxLength: 3 }));
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 30 }), (items) => {
      const lines = items.flatMap(([v, cont]) => [v.line, ...cont]);
      const out = readLines(lines, layout);
      checkAccounting(out, lines.length);
      expect(out.reader.counts.unrecognised).toBe(0);
      expect(out.records.map((r) => r.time)).toEqual(items.map(([v]) => v.epoch));
      expect(out.records.map((r) => r.folded)).toEqual(items.map(([, c]) => c.length));
    }), PARAMS);
  }, TIMEOUT);

  it('never throws on random bytes, cut at random chunk boundaries, and the cuts change nothing', () => {
    fc.assert(fc.property(bytesArb.chain((b) => fc.tuple(fc.constant(b), cutsArb(b.length))), ([bytes, cuts]) => {
      const whole = splitChunks(bytes, []);
      const chunked = splitChunks(bytes, cuts);
      expect(chunked).toEqual(whole);
      checkAccounting(readLines(chunked, layout), chunked.length);
    }), PARAMS);
  }, TIMEOUT);

  it('reads valid lines with damage spliced in at random chunk boundaries the same way as in one piece', () => {
    const text = fc.array(anyLineArb(valid, other), { maxLength: 40 }).map((ls) => Buffer.from(ls.join('\n'), 'utf8'));
    fc.assert(fc.property(text.chain((b) => fc.tuple(fc.constant(b), cutsArb(b.length))), ([bytes, cuts]) => {
      const a = readLines(splitChunks(bytes, []), layout);
      const b = readLines(splitChunks(bytes, cuts), layout);
      expect(b.reader.counts).toEqual(a.reader.counts);
      expect(b.records.map((r) => [r.time, r.line, r.message])).toEqual(a.records.map((r) => [r.time, r.line, r.message]));
    }), PARAMS);
  }, TIMEOUT);
});

describe('mixed layouts through sniffing (property)', () => {
  it('sniffs any head without throwing, and the chosen layout accounts for every line', () => {
    const mix = fc.array(fc.oneof(anyLineArb(kafkaLineArb, zookeeperLineArb), anyLineArb(zookeeperLineArb, kafkaLineArb)), { maxLength: 60 });
    fc.assert(fc.property(mix, (lines) => {
      const sniffed = sniffLines(lines);
      if (sniffed.kind === null) {
        expect(sniffed.reason.length).toBeGreaterThan(0);
        return;
      }
      const layout = sniffed.kind === 'zookeeper-native' ? zookeeperLayout : kafkaLog4jLayout('kafka-broker');
      const fix = lineFix(sniffed.prefix, lines.find((l) => l.trim() !== ''));
      const fixed = fix ? lines.map(fix) : lines;
      checkAccounting(readLines(fixed, layout), lines.length);
    }), PARAMS);
  }, TIMEOUT);
});
