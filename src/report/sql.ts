import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GapReportJson } from '../model/gap.js';
import type { InputJson } from '../model/timeline.js';
import type { WindowJson } from '../model/window.js';
import { DEFAULTS, DumpedTopicGaps } from '../analysis/gap.js';
import type { Zone } from '../time/zone.js';
import { buildTimeline } from '../read/build.js';
import type { TimelineEvent } from '../timeline/event.js';
import { through } from '../timeline/sink.js';
import { smallFiles, WindowsSink } from '../windows/build.js';

/**
 * SQL over what kforensics reads (`kforensics sql`), with DuckDB (the
 * optional dependency @duckdb/node-api): the tables below are filled from
 * the inputs, then the query runs on them. Each input is read once: the
 * dumps first (every topic's gaps from one read of each dump), then one pass
 * over the logs feeds the events (streamed to a scratch file that DuckDB
 * reads), the window engine and the gaps' evidence; nothing is held in
 * memory but windows, gaps and inputs.
 */
export const TABLES: Record<string, Record<string, string>> = {
  events: {
    time: 'TIMESTAMPTZ', node: 'VARCHAR', node_kind: 'VARCHAR', file: 'VARCHAR', line: 'BIGINT', rule: 'VARCHAR', category: 'VARCHAR',
    severity: 'VARCHAR', level: 'VARCHAR', logger: 'VARCHAR', message: 'VARCHAR', fields: 'JSON',
  },
  windows: {
    kind: 'VARCHAR', node: 'VARCHAR', topic: 'VARCHAR', partition: 'BIGINT', start: 'TIMESTAMPTZ', end: 'TIMESTAMPTZ',
    start_earliest: 'TIMESTAMPTZ', start_latest: 'TIMESTAMPTZ', end_earliest: 'TIMESTAMPTZ', end_latest: 'TIMESTAMPTZ',
    duration_ms: 'BIGINT', confidence: 'VARCHAR', reason: 'VARCHAR', details: 'JSON', evidence: 'JSON',
  },
  gaps: {
    topic: 'VARCHAR', partition: 'BIGINT', broker: 'VARCHAR', location: 'VARCHAR', before_offset: 'BIGINT', after_offset: 'BIGINT',
    before_create_time: 'TIMESTAMPTZ', after_create_time: 'TIMESTAMPTZ', duration_ms: 'BIGINT', estimated_missing: 'BIGINT',
    lost_acknowledged: 'BIGINT', never_written: 'BIGINT', meaning: 'VARCHAR', loss_claimed: 'BOOLEAN', evidence: 'JSON',
  },
  inputs: {
    file: 'VARCHAR', kind: 'VARCHAR', node: 'VARCHAR', lines_read: 'BIGINT', records: 'BIGINT', folded: 'BIGINT', unrecognised: 'BIGINT',
    bad_timestamps: 'BIGINT', out_of_order: 'BIGINT', cut_lines: 'BIGINT', skipped: 'VARCHAR', error: 'VARCHAR',
  },
};

export class NoDuckDb extends Error {
  constructor() {
    super('kforensics sql needs DuckDB, an optional dependency that is not installed here: npm install @duckdb/node-api (its prebuilt binary comes with the package), then run the query again. The other commands work without it.');
  }
}

export interface SqlOptions {
  zone: Zone;
  /** Unclassified records as events too. */
  all?: boolean;
  topics?: readonly string[];
  nodeMap?: readonly string[];
  followSymlinks?: boolean;
  layouts?: readonly string[];
}

export interface SqlResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
  inputs: InputJson[];
  missing: string[];
}

const iso = (zone: Zone, ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : zone.format(ms));

function eventRow(e: TimelineEvent, zone: Zone): Record<string, unknown> {
  return {
    time: zone.format(e.time), node: e.node, node_kind: e.nodeKind, file: e.file, line: e.line, rule: e.rule?.id ?? null, category: e.category,
    severity: e.severity, level: e.level ?? null, logger: e.logger ?? null, message: e.message, fields: e.fields,
  };
}

function windowRow(w: WindowJson): Record<string, unknown> {
  return {
    kind: w.kind, node: w.node ?? null, topic: w.topic ?? null, partition: w.partition ?? null, start: w.start, end: w.end,
    start_earliest: w.startBounds?.earliest ?? null, start_latest: w.startBounds?.latest ?? null,
    end_earliest: w.endBounds?.earliest ?? null, end_latest: w.endBounds?.latest ?? null,
    duration_ms: w.durationMs, confidence: w.confidence, reason: w.reason, details: w.details ?? {}, evidence: w.evidence,
  };
}

function gapRows(reports: readonly GapReportJson[], zone: Zone): Record<string, unknown>[] {
  return reports.flatMap((r) => r.partitions).flatMap((p) => p.gaps.map((g) => ({
    topic: p.topic, partition: p.partition, broker: p.broker, location: p.location ?? null,
    before_offset: g.before.offset, after_offset: g.after.offset,
    before_create_time: iso(zone, g.before.createTime), after_create_time: iso(zone, g.after.createTime),
    duration_ms: g.durationMs, estimated_missing: g.estimatedMissing, lost_acknowledged: g.lostAcknowledgedInGap, never_written: g.neverWritten,
    meaning: g.meaning.kind, loss_claimed: g.meaning.lossClaimed, evidence: g.evidence,
  })));
}

function inputRow(i: InputJson): Record<string, unknown> {
  return {
    file: i.file, kind: i.kind, node: i.node, lines_read: i.linesRead, records: i.records, folded: i.folded, unrecognised: i.unrecognised,
    bad_timestamps: i.badTimestamps, out_of_order: i.outOfOrder, cut_lines: i.cutLines, skipped: i.skipped, error: i.error,
  };
}

/** Writes rows as NDJSON in writes of ~64 KiB. */
async function writeRows(path: string, rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let pending = '';
    for await (const row of rows) {
      pending += `${JSON.stringify(row)}\n`;
      if (pending.length >= 1 << 16) {
        await file.write(pending);
        pending = '';
      }
    }
    if (pending) await file.write(pending);
  } finally {
    await file.close();
  }
}

async function* eventRows(batches: AsyncIterable<TimelineEvent[]>, zone: Zone): AsyncGenerator<Record<string, unknown>> {
  for await (const batch of batches) for (const e of batch) yield eventRow(e, zone);
}

type DuckDb = typeof import('@duckdb/node-api');

async function loadDuckDb(): Promise<DuckDb> {
  try {
    return await import('@duckdb/node-api');
  } catch {
    throw new NoDuckDb();
  }
}

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Reads the inputs into the tables, runs the query, returns its rows (timestamps as ISO text in the zone). */
export async function runSql(query: string, paths: readonly string[], options: SqlOptions): Promise<SqlResult> {
  const duckdb = await loadDuckDb();
  const { zone } = options;
  const common = { nodeMap: options.nodeMap ?? [], followSymlinks: options.followSymlinks ?? false, layouts: options.layouts ?? [] };
  // Every record of the logs, for the window engine and the gaps' evidence; the events table keeps the classified ones (--all: every one).
  const timeline = await buildTimeline(paths, { zone, ...common, all: true });
  const { plan } = timeline;
  if (plan.missing.length > 0) return { columns: [], types: [], rows: [], inputs: [], missing: plan.missing };
  const gapOptions = { zone, minGapMs: DEFAULTS.minGapMs, percentile: DEFAULTS.percentile, k: DEFAULTS.k, ...common };
  const topicGaps = await DumpedTopicGaps.read(plan, paths, options.topics, gapOptions);
  const windows = await WindowsSink.open(plan.others, zone, smallFiles());
  const scratch = mkdtempSync(join(tmpdir(), 'kforensics-sql-'));
  try {
    await writeRows(join(scratch, 'events.ndjson'), eventRows(through(timeline.eventBatches, [windows, ...topicGaps.sinks], (e) => options.all === true || e.rule !== null), zone));
    const gaps = await topicGaps.reports([]);
    const inputs = timeline.inputs();
    await writeRows(join(scratch, 'windows.ndjson'), windows.finish().doc.windows.map(windowRow));
    await writeRows(join(scratch, 'gaps.ndjson'), gapRows(gaps, zone));
    await writeRows(join(scratch, 'inputs.ndjson'), inputs.map(inputRow));
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      await db.run(`SET TimeZone = ${quote(zone.name)}`);
      for (const [table, columns] of Object.entries(TABLES)) {
        const spec = Object.entries(columns).map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ');
        await db.run(`CREATE TABLE ${table} AS SELECT * FROM read_json(${quote(join(scratch, `${table}.ndjson`))}, format = 'newline_delimited', columns = {${spec}})`);
      }
      const reader = await db.runAndReadAll(query);
      const types = reader.columnTypes().map((t) => t.toString());
      const rows = reader.getRows().map((row) => row.map((v, i) => plain(v, types[i]!, zone)));
      return { columns: reader.columnNames(), types, rows, inputs, missing: [] };
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A DuckDB value as JSON-able data: timestamps with a zone in --tz, big integers as numbers when exact, the rest as text. */
function plain(v: unknown, type: string, zone: Zone): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (type === 'TIMESTAMP WITH TIME ZONE' && typeof (v as { micros?: unknown }).micros === 'bigint') {
    return zone.format(Number((v as { micros: bigint }).micros / 1000n));
  }
  return String(v);
}
