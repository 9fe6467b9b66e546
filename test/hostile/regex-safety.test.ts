/**
 * Catastrophic backtracking guard for the regular expressions that meet raw
 * input before the catalogue does: sniffing, prefixes, the two log layouts,
 * and the DumpLogSegments reader (its patterns are private, so whole lines go
 * through the reader). Same method as the catalogue's guard: long adversarial
 * strings built from each pattern's own literals, under a time budget that a
 * linear pattern meets a hundred times over.
 */
import { describe, expect, it } from 'vitest';
import { bestTime, fill, literals } from '../helpers/adversarial.js';
import { DumpReader } from '../../src/readers/dump-log-segments.js';
import { KAFKA_LAYOUT_PATTERNS, kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { lineFix, PREFIX_PATTERNS } from '../../src/sources/prefix.js';
import { KAFKA_CLASS_PATTERNS } from '../../src/catalogue/kafka-classes.js';
import { CONTAINER_PATTERNS } from '../../src/sources/containers.js';
import { ZOOKEEPER_LAYOUT_PATTERNS, zookeeperLayout } from '../../src/readers/zookeeper.js';
import { SNIFF_PATTERNS, sniffLines } from '../../src/sources/sniff.js';

const BUDGET_MS = 100;

const BASE = [fill('a'), fill(' '), fill('1'), fill('1,'), fill('('), fill('['), fill('a-1'), fill('0x1'), fill(']'), fill('\t'), fill(': '), fill('| ')];

/** Strings built to make a backtracking pattern try every split. */
function adversarial(pattern: RegExp): string[] {
  const lits = literals(pattern.source);
  const out = [...BASE];
  for (const lit of lits) {
    out.push(fill(lit), lit + fill('a-1 '), lit + fill('1,') + '!', fill(`${lit} `) + '\u0000');
  }
  if (lits.length > 1) out.push(fill(lits.join(' ')));
  // The shapes the readers look for, repeated without ever completing.
  out.push(`[2024-01-01 00:00:00,000] INFO ${fill('(a.b')}`, `2024-01-01 00:00:00,000 [myid:${fill('1')}`, fill('offset: 1 position: '), fill('key: '), `${fill('[  1] ')}x`);
  return out;
}

function timed(label: string, run: () => void): void {
  expect(bestTime(run, BUDGET_MS), label).toBeLessThan(BUDGET_MS);
}

const PATTERNS: [string, RegExp][] = [
  ...SNIFF_PATTERNS.map((p, i) => [`sniff #${i}`, p] as [string, RegExp]),
  ...PREFIX_PATTERNS.map((p, i) => [`prefix #${i}`, p] as [string, RegExp]),
  ...KAFKA_CLASS_PATTERNS.map((p, i) => [`log ident #${i}`, p] as [string, RegExp]),
  ...CONTAINER_PATTERNS.map((p, i) => [`container #${i}`, p] as [string, RegExp]),
  ...KAFKA_LAYOUT_PATTERNS.map((p, i) => [`kafka layout #${i}`, p] as [string, RegExp]),
  ...ZOOKEEPER_LAYOUT_PATTERNS.map((p, i) => [`zookeeper layout #${i}`, p] as [string, RegExp]),
];

describe('reader, sniff and prefix patterns are linear (no catastrophic backtracking)', () => {
  it.each(PATTERNS)('%s', (_name, pattern) => {
    for (const text of adversarial(pattern)) timed(`${pattern.source.slice(0, 60)} on ${JSON.stringify(text.slice(0, 40))}…`, () => pattern.exec(text));
  });

  const lines = [...new Set(PATTERNS.flatMap(([, p]) => adversarial(p)))];

  it('the layouts parse adversarial lines in linear time', () => {
    const kafka = kafkaLog4jLayout('kafka-broker');
    for (const line of lines) {
      timed(`kafka ${JSON.stringify(line.slice(0, 40))}`, () => kafka.parseStart(line));
      timed(`zookeeper ${JSON.stringify(line.slice(0, 40))}`, () => zookeeperLayout.parseStart(line));
      timed(`[${line.slice(0, 40)}`, () => kafka.parseStart(`[2024-01-01 00:00:00,000] INFO ${line}`));
      timed(`zk ${line.slice(0, 40)}`, () => zookeeperLayout.parseStart(`2024-01-01 00:00:00,000 [myid:1] - INFO  [${line}`));
    }
  });

  it('sniffing and prefix stripping take adversarial heads in linear time', () => {
    for (const line of lines) {
      timed(`sniff ${JSON.stringify(line.slice(0, 40))}`, () => sniffLines([line, line]));
      for (const kind of ['docker-compose', 'rfc3339', 'supervisor', 'iso646-brackets', 'kafka-in-zookeeper-layout'] as const) {
        timed(`${kind} ${JSON.stringify(line.slice(0, 40))}`, () => lineFix(kind, line)!(line));
      }
      const trait = `2024-01-01 00:00:00,000 [myid:] - INFO  [main:Logging@66] - ${line}`;
      timed(`log ident ${JSON.stringify(line.slice(0, 40))}`, () => lineFix('kafka-in-zookeeper-layout')!(trait));
    }
  });

  it('the DumpLogSegments reader takes adversarial lines in linear time', () => {
    const dumpShapes = [
      fill('offset: 1 '), fill('| offset: 1 CreateTime: 1 '), `baseOffset: 0 ${fill('a: ')}`, `headerKeys: [${fill('a,b:')}`,
      `| offset: 1 CreateTime: 1 keySize: -1 valueSize: 1 sequence: 0 headerKeys: [] payload: ${fill('{"a":')}`,
      `Dumping ${fill('/a')}`, `Mismatches in :${fill(' ')}x`, fill(' 1 is followed by 2'), `${fill('1 ')}: offset: 1`,
    ];
    for (const line of [...lines, ...dumpShapes]) {
      // Twice: the second line meets the first as a possible wrapped continuation.
      timed(`dump ${JSON.stringify(line.slice(0, 40))}`, () => {
        const reader = new DumpReader(() => undefined);
        reader.push(line);
        reader.push(line);
        reader.end();
      });
    }
  });
});
