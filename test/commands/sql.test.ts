/**
 * `kforensics sql` on the bundled incidents, and the ECS and Parquet outputs
 * loaded into DuckDB: counts match kforensics' own JSON, and a window is
 * recomputed in SQL from the events. DuckDB is an optional dependency: the
 * suite is skipped, saying so, where it is not installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/catalogue/index.js';
import { REPO, runCli } from './run-cli.js';

let duckdb: typeof import('@duckdb/node-api') | undefined;
try {
  duckdb = await import('@duckdb/node-api');
} catch {
  console.warn('[sql.test] skipped: @duckdb/node-api (an optional dependency) is not installed');
}

const work = mkdtempSync(join(tmpdir(), 'kf-sql-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CASES = [
  { dir: 'fixtures/account-event-2022-10-05', tz: 'Asia/Seoul', topic: 'account_event' },
  { dir: 'fixtures/ha-test-2024-02-23', tz: 'Asia/Seoul' },
  { dir: 'fixtures/isolated-leader-2023-11-14', tz: 'Europe/Berlin' },
  { dir: 'fixtures/kraft-2025-combined', tz: 'UTC' },
];

interface EventRow { node: string; category: string; rule: string | null; time: string; file: string; line: number }

function sql(query: string, c: { dir: string; tz: string; topic?: string }, ...more: string[]): Record<string, unknown>[] {
  const r = runCli(['sql', query, c.dir, '--tz', c.tz, '--format', 'json', ...(c.topic ? ['--topic', c.topic] : []), ...more]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

async function query(text: string): Promise<Record<string, unknown>[]> {
  const instance = await duckdb!.DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    return (await db.runAndReadAll(text)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

describe.runIf(duckdb !== undefined).each(CASES)('kforensics sql on $dir', (c) => {
  let timeline: { events: EventRow[]; windows: { kind: string }[]; inputs: unknown[] };
  beforeAll(() => {
    timeline = JSON.parse(runCli(['timeline', c.dir, '--tz', c.tz, '--json']).stdout);
  });

  it('events by node and category: the counts of timeline --json', () => {
    const rows = sql('SELECT node, category, count(*) AS n FROM events GROUP BY ALL ORDER BY ALL', c);
    const expected = new Map<string, number>();
    for (const e of timeline.events) expected.set(`${e.node} ${e.category}`, (expected.get(`${e.node} ${e.category}`) ?? 0) + 1);
    expect(new Map(rows.map((r) => [`${String(r.node)} ${String(r.category)}`, r.n]))).toEqual(expected);
  });

  it('windows and inputs: as many as windows --json and the timeline\'s accounting', () => {
    const windows = JSON.parse(runCli(['windows', c.dir, '--tz', c.tz, '--json']).stdout) as { windows: { kind: string; start: string }[] };
    const rows = sql('SELECT kind, start FROM windows', c);
    expect(rows).toEqual(windows.windows.map((w) => ({ kind: w.kind, start: w.start })));
    expect(sql('SELECT count(*) AS n FROM inputs', c)[0]!.n).toBe(timeline.inputs.length);
  });

  it('times are in --tz, and the session works in it', () => {
    const first = timeline.events[0]!;
    const rows = sql('SELECT time, file, line FROM events ORDER BY time, file, line LIMIT 1', c);
    expect(rows[0]!.time).toBe(first.time);
  });
});

describe.runIf(duckdb !== undefined)('gaps table', () => {
  it('the account_event gap, as gap --json finds it', () => {
    const c = CASES[0]!;
    const gap = JSON.parse(runCli(['gap', c.dir, '--topic', 'account_event', '--tz', c.tz, '--json']).stdout) as {
      partitions: { gaps: { before: { offset: number }; after: { offset: number }; durationMs: number }[] }[];
    };
    const expected = gap.partitions.flatMap((p) => p.gaps.map((g) => ({ before_offset: g.before.offset, after_offset: g.after.offset, duration_ms: g.durationMs })));
    expect(expected.length).toBeGreaterThan(0);
    const rows = sql('SELECT DISTINCT before_offset, after_offset, duration_ms FROM gaps ORDER BY ALL', c);
    expect(rows).toEqual([...new Map(expected.map((g) => [JSON.stringify(g), g])).values()]);
  });

  it('a query DuckDB cannot run: its words, the tables, exit 2', () => {
    const r = runCli(['sql', 'SELECT nope FROM events', CASES[2]!.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nope/);
    expect(r.stderr).toMatch(/events, windows, gaps, inputs/);
  });
});

const STOPPING = CATALOGUE.filter((r) => r.effect?.signal === 'broker-stopping').map((r) => `'${r.id}'`).join(', ');

describe.runIf(duckdb !== undefined)('ECS and Parquet through DuckDB', () => {
  const c = CASES[1]!;
  const run = (format: string): string => {
    const file = join(work, `ha.${format}`);
    const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, 'timeline', c.dir, '--tz', c.tz, '--format', format], { cwd: REPO, maxBuffer: 256 << 20 });
    writeFileSync(file, r.stdout);
    return file;
  };

  it('ECS: documents per kind as many as events and windows; a broker window recomputed in SQL from its events', async () => {
    const file = run('ecs');
    const timeline = JSON.parse(runCli(['timeline', c.dir, '--tz', c.tz, '--json']).stdout) as { events: unknown[]; windows: { kind: string; node?: string; start: string; startSource?: { how: string } }[] };
    const counts = await query(`SELECT "event.kind" AS kind, count(*) AS n FROM read_json_auto('${file}', format = 'newline_delimited') GROUP BY 1 ORDER BY 1`);
    expect(counts).toEqual([{ kind: 'event', n: String(timeline.events.length) }, { kind: 'state', n: String(timeline.windows.length) }]);
    // A broker that logged its own shutdown: its window starts at its first shutdown line at or after the window's start.
    const own = timeline.windows.filter((w) => w.kind === 'broker-down' && w.startSource?.how === 'the broker logged its own shutdown');
    expect(own.length).toBeGreaterThan(0);
    for (const w of own) {
      const [row] = await query(`SELECT strftime(min("@timestamp"::TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') AS t FROM read_json_auto('${file}', format = 'newline_delimited')
        WHERE "event.kind" = 'event' AND "event.action" IN (${STOPPING}) AND "host.name" = '${w.node}' AND "@timestamp"::TIMESTAMP >= '${new Date(Date.parse(w.start)).toISOString().slice(0, 23)}'::TIMESTAMP`);
      expect(`${String(row!.t)}Z`).toBe(new Date(Date.parse(w.start)).toISOString());
    }
  });

  it('Parquet: every event, by category, as timeline --json has them', async () => {
    const file = run('parquet');
    const timeline = JSON.parse(runCli(['timeline', c.dir, '--tz', c.tz, '--json']).stdout) as { events: EventRow[] };
    const rows = await query(`SELECT category, count(*) AS n, min(line) AS first FROM '${file}' GROUP BY 1 ORDER BY 1`);
    const expected = new Map<string, number>();
    for (const e of timeline.events) expected.set(e.category, (expected.get(e.category) ?? 0) + 1);
    expect(new Map(rows.map((r) => [r.category, Number(r.n)]))).toEqual(expected);
    const [first] = await query(`SELECT epoch_ms(time) AS t, node, file, line FROM '${file}' LIMIT 1`);
    const e = timeline.events[0]!;
    expect([Number(first!.t), first!.node, first!.file, Number(first!.line)]).toEqual([Date.parse(e.time), e.node, e.file, e.line]);
  });
});
