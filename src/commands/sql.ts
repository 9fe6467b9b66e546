import { Args, Command, Flags } from '@oclif/core';
import Table from 'cli-table3';
import {
  checkNodeMap, failOnMissing, inputFlags, inputPaths, LIST, missingArgument, nodeMapFlag, noteDefaultZone, perFileAccounting,
  reportNothingFound, reportReadFailures, zoneFlag,
} from '../cli/common.js';
import { renderAccounting } from '../cli/accounting.js';
import { NoDuckDb, runSql, TABLES, type SqlResult } from '../report/sql.js';

const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;

/** The query's rows as text in one of FORMATS (rendering only). */
export function renderSqlResult(result: Pick<SqlResult, 'columns' | 'rows'>, format: (typeof FORMATS)[number]): string {
  const { columns, rows } = result;
  const cell = (v: unknown): string => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))), null, 2)}\n`;
    case 'ndjson':
      return rows.map((r) => `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, r[i]])))}\n`).join('');
    case 'csv': {
      const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
      return [columns.map(q).join(','), ...rows.map((r) => r.map((v) => q(cell(v))).join(','))].map((l) => `${l}\n`).join('');
    }
    default: {
      const table = new Table({ head: columns, style: { head: [], border: [] } });
      for (const r of rows) table.push(r.map(cell));
      return `${table.toString()}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
    }
  }
}

const tableHelp = Object.entries(TABLES).map(([t, cols]) => `  ${t}(${Object.keys(cols).join(', ')})`).join('\n');

export default class SqlCommand extends Command {
  static override summary = 'Run SQL (DuckDB) over the events, windows, gaps and inputs of the given paths.';
  static override description = `Reads the paths as the other commands do (logs, event files, dumps, describe output, properties) and loads four tables, then runs the query with DuckDB (the optional dependency @duckdb/node-api):

${tableHelp}

Times are TIMESTAMPTZ; the session's TimeZone is --tz, so date_trunc and friends work in it, and times print in it. events holds classified events (--all: every record). gaps needs DumpLogSegments output (of --topic, or of every topic dumped).`;

  static override examples = [
    `<%= config.bin %> <%= command.id %> "SELECT node, count(*) FROM events WHERE category = 'isr' GROUP BY 1" ./logs`,
    `<%= config.bin %> <%= command.id %> "SELECT kind, node, start, duration_ms FROM windows ORDER BY start" ./incident --tz Asia/Seoul`,
    `<%= config.bin %> <%= command.id %> "SELECT * FROM inputs WHERE error IS NOT NULL" ./logs --format json`,
  ];

  static override strict = false;
  static override args = {
    query: Args.string({ description: 'the SQL query (DuckDB dialect) over events, windows, gaps and inputs', required: true }),
    paths: Args.string({ description: 'log files, directories (read recursively), archives or event files; - or nothing for standard input', required: false, ignoreStdin: true }),
  };

  static override flags = {
    ...inputFlags,
    topic: Flags.string({ description: 'topics whose dumps fill the gaps table (default: every topic dumped)', ...LIST }),
    all: Flags.boolean({ description: 'also load records no rule classifies into events', default: false }),
    format: Flags.string({ description: 'output format', options: [...FORMATS], default: 'table' }),
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(missingArgument(err, `the QUERY and the PATHS to read, e.g. kforensics sql "SELECT count(*) FROM events" ./logs`));
  }

  async run(): Promise<SqlResult | void> {
    const { argv, flags, metadata } = await this.parse(SqlCommand);
    const [query, ...given] = argv as string[];
    const paths = inputPaths(this, given);
    const zone = zoneFlag(this, flags.tz);
    noteDefaultZone(metadata);
    await checkNodeMap(this, paths, flags['node-map']);
    let result: SqlResult;
    try {
      result = await runSql(query!, paths, {
        zone, all: flags.all, nodeMap: nodeMapFlag(flags), followSymlinks: flags['follow-symlinks'], layouts: flags.layout ?? [],
        ...(flags.topic && { topics: flags.topic }),
      });
    } catch (e) {
      if (e instanceof NoDuckDb) this.error(e.message, { exit: 2 });
      // DuckDB's own words for a query it cannot run (a parser or binder error) name what is wrong.
      const message = (e as Error).message;
      if (/Error: /.test(message)) this.error(`The query failed: ${message}\nTables: ${Object.keys(TABLES).join(', ')} (kforensics sql --help lists their columns).`, { exit: 2 });
      throw e;
    }
    failOnMissing(this, result.missing);
    process.stdout.write(renderSqlResult(result, flags.format as (typeof FORMATS)[number]));
    process.stderr.write(`${renderAccounting(result.inputs, perFileAccounting(flags.verbose))}\n`);
    reportNothingFound(paths, result.inputs);
    reportReadFailures(result.inputs);
    return result;
  }
}
