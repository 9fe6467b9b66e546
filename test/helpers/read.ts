import { expect } from 'vitest';
import type { LogRecord } from '../../src/model/record.js';
import { RecordReader, type Layout, type ReaderCounts, type UnrecognisedReason } from '../../src/readers/assembler.js';
import { LineSplitter } from '../../src/sources/lines.js';
import { Zone } from '../../src/time/zone.js';

export interface ReadResult {
  records: LogRecord[];
  counts: ReaderCounts;
  unrecognised: { line: number; text: string; reason: UnrecognisedReason }[];
}

/** Reads text through the line splitter and a RecordReader, and checks the accounting invariant. */
export function readText(text: string, layout: Layout, zone = new Zone('UTC')): ReadResult {
  const unrecognised: ReadResult['unrecognised'] = [];
  const reader = new RecordReader(layout, zone, (line, t, reason) => unrecognised.push({ line, text: t, reason }));
  const splitter = new LineSplitter();
  const records: LogRecord[] = [];
  for (const line of [...splitter.push(Buffer.from(text, 'utf8')), ...splitter.end()]) {
    const r = reader.push(line);
    if (r) records.push(r);
  }
  const last = reader.end();
  if (last) records.push(last);
  const c = reader.counts;
  expect(c.linesRead, 'linesRead = records + folded + unrecognised').toBe(c.records + c.folded + c.unrecognised);
  expect(c.records).toBe(records.length);
  expect(c.badTimestamps).toBeLessThanOrEqual(c.unrecognised);
  expect(records.reduce((n, r) => n + r.folded, 0), 'folded lines belong to records').toBe(c.folded);
  return { records, counts: c, unrecognised };
}
