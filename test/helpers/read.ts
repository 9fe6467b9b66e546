import { expect } from 'vitest';
import type { LogRecord } from '../../src/model/record.js';
import { RecordReader, type Layout, type ReaderCounts, type UnrecognisedReason } from '../../src/readers/assembler.js';
import { LineSplitter } from '../../src/sources/lines.js';
import { Zone } from '../../src/time/zone.js';
import { defaultClassifier } from '../../src/catalogue/index.js';
import type { InputJson } from '../../src/model/timeline.js';
import type { Family } from '../../src/read/plan.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { familyEvents } from '../../src/read/read.js';
import { eventsOf } from '../../src/timeline/run.js';

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

/** A family's events and per-file accounting through familyEvents, each without its file (paths differ between the readings compared). */
export interface FamilyRead {
  events: Omit<TimelineEvent, 'file'>[];
  inputs: Omit<InputJson, 'file'>[];
}

/** Reads a family for classified events (Asia/Seoul), by the line splitter when `textOnly`, else by the byte path where it applies. */
export async function readFamily(family: Family, textOnly: boolean, chunk?: number): Promise<FamilyRead> {
  const inputs: FamilyRead['inputs'] = [];
  const events: FamilyRead['events'] = [];
  for await (const batch of familyEvents(family, {
    zone: new Zone('Asia/Seoul'),
    classifier: defaultClassifier(),
    all: false,
    keep: () => true,
    textOnly,
    ...(chunk !== undefined && { chunk }),
    onInput: ({ file: _, ...rest }) => inputs.push(rest),
  })) for (const item of batch) for (const { file: _, ...e } of eventsOf(item)) events.push(e);
  return { events, inputs };
}
