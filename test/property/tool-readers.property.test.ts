/**
 * Property tests of the readers of tool output (DumpLogSegments, topics
 * --describe, properties files) and of prefix detection: on any input, no
 * exception and each reader's own accounting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DumpReader } from '../../src/readers/dump-log-segments.js';
import { detectPrefix, lineFix } from '../../src/sources/prefix.js';
import { parseProperties } from '../../src/readers/properties.js';
import { parseDescribe } from '../../src/readers/topics-describe.js';
import {
  corrupt, describeLineArb, repeatedTokenArb, dumpLineArb, kafkaLineArb, oneLine, PARAMS, propertiesLineArb, TIMEOUT, zookeeperLineArb,
} from './arbitraries.js';

const dumpAnyLine = fc.oneof(
  { weight: 5, arbitrary: dumpLineArb },
  { weight: 3, arbitrary: fc.tuple(dumpLineArb, dumpLineArb).chain(([a, b]) => corrupt(a, b)) },
  { weight: 1, arbitrary: kafkaLineArb.map((k) => k.line) },
  { weight: 1, arbitrary: oneLine(150) },
  { weight: 1, arbitrary: repeatedTokenArb },
  { weight: 1, arbitrary: fc.constantFrom('', '..', 'SLF4J: Class path contains multiple SLF4J bindings.', 'NoCompressionCodec crc: 3916773564', ' 5 | offset: 3 CreateTime: 1 keySize: -1', 'payload: {"a":') },
);

describe('DumpLogSegments reader (property)', () => {
  it('accounts for every line: linesRead = headers + batches + records + summaries + indexEntries + noise + wrapped + unrecognised', () => {
    fc.assert(fc.property(fc.array(dumpAnyLine, { maxLength: 60 }), (lines) => {
      const entries: unknown[] = [];
      const unrecognised: number[] = [];
      const reader = new DumpReader((e) => entries.push(e), (line) => unrecognised.push(line));
      for (const line of lines) reader.push(line);
      reader.end();
      const c = reader.counts;
      expect(c.linesRead).toBe(lines.length);
      expect(c.linesRead).toBe(c.headers + c.batches + c.records + c.summaries + c.indexEntries + c.noise + c.wrapped + c.unrecognised);
      expect(c.unrecognised).toBe(unrecognised.length);
      expect(c.cut).toBeLessThanOrEqual(c.linesRead);
      expect(entries.length).toBe(c.headers + c.batches + c.records + c.summaries + c.indexEntries);
    }), PARAMS);
  }, TIMEOUT);
});

describe('topics --describe reader (property)', () => {
  it('puts every line in topics, partitions or other', () => {
    fc.assert(fc.property(fc.array(describeLineArb, { maxLength: 40 }), (lines) => {
      const s = parseDescribe(lines);
      expect(s.topics.length + s.partitions.length + s.other).toBe(lines.length);
      for (const p of s.partitions) {
        expect(p.line >= 1 && p.line <= lines.length).toBe(true);
        for (const r of [...p.replicas, ...p.isr]) expect(Number.isInteger(r)).toBe(true);
      }
    }), PARAMS);
  }, TIMEOUT);
});

describe('properties reader (property)', () => {
  it('never throws, and every value names a line of the file', () => {
    fc.assert(fc.property(fc.array(propertiesLineArb, { maxLength: 40 }), (lines) => {
      const p = parseProperties(lines);
      expect(p.values.size).toBeLessThanOrEqual(lines.length);
      for (const { line } of p.values.values()) expect(line >= 1 && line <= lines.length).toBe(true);
    }), PARAMS);
  }, TIMEOUT);
});

const PREFIXES = [
  { kind: 'docker-compose', add: (l: string) => `kafka_1      | ${l}` },
  { kind: 'rfc3339', add: (l: string, i: number) => `2019-04-11T12:32:24.${String(676800004 + i).padStart(9, '0')}Z ${l}` },
  { kind: 'supervisor', add: (l: string) => `[  411514] [   104.777836] [service_kafka]                     [I] ${l}` },
] as const;

describe('line prefixes (property)', () => {
  it.each(PREFIXES)('$kind: detected from the head and stripped back to the exact log line', ({ kind, add }) => {
    const logs = fc.array(fc.oneof(kafkaLineArb, zookeeperLineArb).map((x) => x.line), { minLength: 1, maxLength: 30 });
    fc.assert(fc.property(logs, (lines) => {
      const prefixed = lines.map((l, i) => add(l, i));
      const detected = detectPrefix(prefixed);
      expect(detected).toBe(kind);
      const fix = lineFix(detected, prefixed[0]);
      expect(prefixed.map(fix!)).toEqual(lines);
    }), PARAMS);
  }, TIMEOUT);

  it('finds no prefix in plain logs, and never throws on noise', () => {
    const plain = fc.array(fc.oneof(kafkaLineArb, zookeeperLineArb).map((x) => x.line), { minLength: 1, maxLength: 30 });
    fc.assert(fc.property(plain, fc.array(oneLine(100), { maxLength: 30 }), (lines, noise) => {
      expect(detectPrefix(lines)).toBeNull();
      const kind = detectPrefix(noise);
      const fix = lineFix(kind, noise[0]);
      if (fix) for (const l of noise) expect(typeof fix(l)).toBe('string');
    }), PARAMS);
  }, TIMEOUT);
});
