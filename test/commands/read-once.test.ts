import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO } from './run-cli.js';

// Every command reads each input once: the rows printed, the window engine,
// the skew estimator, the key events and the accounting are fed from one
// pass. Counted by a preload that sums the bytes each file gives to reads
// (test/helpers/count-reads.mjs): the planner's sniffing reads a file's head
// (256 KiB here), the pass reads it whole; a second pass shows as 2×.
const dir = tempDir('kforensics-read-once-');
const log = join(dir.root, 'broker-1', 'server.log');
dir.write('broker-1/.keep', '');
const gen = spawnSync(process.execPath, [join(REPO, 'scripts/gen-server-log.mjs'), '--size', '4M', '--out', log], { encoding: 'utf8' });
copyFileSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/server.properties'), join(dir.root, 'broker-1', 'server.properties'));
// A DumpLogSegments output (topic bench, record-level), for the commands that read dumps too.
dir.write('dumps/.keep', '');
const dump = join(dir.root, 'dumps', 'dump-bench-0.txt');
const genDump = spawnSync(process.execPath, ['--input-type=module', '-e', `import { writeDump } from ${JSON.stringify(join(REPO, 'scripts/bench/dump.mjs'))}; await writeDump(${JSON.stringify(dump)}, 8 << 20);`], { encoding: 'utf8' });

let duckdb = true;
try {
  await import('@duckdb/node-api');
} catch {
  duckdb = false;
  console.warn('[read-once.test] sql skipped: @duckdb/node-api (an optional dependency) is not installed');
}

function bytesRead(args: string[], root = join(dir.root, 'broker-1')): Record<string, number> {
  const out = join(dir.root, 'reads.json');
  const r = spawnSync(process.execPath, [join(REPO, 'bin/run.js'), ...args], {
    encoding: 'utf8', maxBuffer: 256 << 20,
    env: {
      ...process.env, NO_COLOR: '1', KF_COUNT_READS_ROOT: root, KF_COUNT_READS_OUT: out,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${join(REPO, 'test/helpers/count-reads.mjs')}`,
    },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
}

describe('one read per input per command', () => {
  it('the generated log and dump are there', () => {
    expect(gen.status, gen.stderr).toBe(0);
    expect(genDump.status, genDump.stderr).toBe(0);
  });

  it.each([
    [['timeline']],
    [['timeline', '--json']],
    [['timeline', '--since', '2000-01-01 00:00']],
    [['timeline', '--format', 'ndjson']],
    [['windows']],
    [['windows', '--json']],
  ])('%j reads the log once', (args) => {
    const reads = bytesRead([args[0]!, join(dir.root, 'broker-1'), ...args.slice(1)]);
    const size = statSync(log).size;
    // Once in full, plus the planner's look at its head.
    expect(reads[log]! / size).toBeGreaterThanOrEqual(1);
    expect(reads[log]! / size).toBeLessThan(1.1);
  });

  it('report reads the log once, and again only up to the last line it quotes', () => {
    const reads = bytesRead(['report', join(dir.root, 'broker-1'), '--out', join(dir.root, 'r.md')]);
    const size = statSync(log).size;
    expect(reads[log]! / size).toBeGreaterThanOrEqual(1);
    // The pass (was: the windows, the key events and the start-up configs, each a pass of their own) and the appendix's quotes.
    expect(reads[log]! / size).toBeLessThan(2.1);
  });

  // sql fills its four tables from that one pass (events, windows, the gaps' evidence, the accounting) and
  // every topic's gaps from one read of each dump (was: the report's pass, each topic's gap analysis with a
  // pass of its own over the logs and a read of the dumps, the dumps again for their topics, then the events' pass).
  it.runIf(duckdb)('sql reads the log once and the dump once', () => {
    const reads = bytesRead(['sql', 'SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM windows) + (SELECT count(*) FROM gaps) AS n', join(dir.root, 'broker-1'), join(dir.root, 'dumps'), '--format', 'json'], dir.root);
    expect(reads[log]! / statSync(log).size).toBeGreaterThanOrEqual(1);
    expect(reads[log]! / statSync(log).size).toBeLessThan(1.1);
    // Once in full, plus the heads looked at (the planner's sniff, whether it lists records, whether it is a KRaft
    // metadata dump): what gap itself reads of it, give or take a head (was 2.8×).
    const gap = bytesRead(['gap', '--topic', 'bench', join(dir.root, 'dumps')], dir.root);
    expect(reads[dump]! / statSync(dump).size).toBeGreaterThanOrEqual(1);
    expect(reads[dump]! / statSync(dump).size).toBeLessThan(1.5);
    expect(reads[dump]!).toBeLessThan(gap[dump]! + (1 << 20));
  });
});

describe('report: one pass over the logs for the gap evidence of every topic', () => {
  // The generated log beside dumps of three topics (the account_event dump, its topic renamed).
  const many = tempDir('kforensics-read-once-topics-');
  const broker = join(many.root, 'broker-1');
  many.write('broker-1/.keep', '');
  const dump = readFileSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/dump-account_event-0.txt'), 'utf8');
  const topics = ['account_event', 'orders', 'payments'];
  for (const t of topics) many.write(`broker-1/dump-${t}-0.txt`, dump.replaceAll('account_event', t));

  it('reads the log once for the key events and windows, once for the three topics\' evidence, and again only up to the lines it quotes', () => {
    expect(gen.status, gen.stderr).toBe(0);
    copyFileSync(log, join(broker, 'server.log'));
    const out = join(many.root, 'reads.json');
    // KF_NATIVE=0: the read-backs go through the line splitter, whose reads the preload counts (the native walk of a
    // plain file reads with pread in C, unseen; test/sources/pick-lines.test.ts holds it to the splitter's lines).
    const r = spawnSync(process.execPath, [join(REPO, 'bin/run.js'), 'report', broker, '--json'], {
      encoding: 'utf8', maxBuffer: 256 << 20,
      env: {
        ...process.env, NO_COLOR: '1', KF_NATIVE: '0', KF_COUNT_READS_ROOT: broker, KF_COUNT_READS_OUT: out,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${join(REPO, 'test/helpers/count-reads.mjs')}`,
      },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { gaps: { topic: string }[]; inputQuality: { dumps: unknown[] } };
    expect(report.inputQuality.dumps).toHaveLength(3);
    expect(new Set(report.gaps.map((g) => g.topic))).toEqual(new Set(topics));
    const reads = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
    const size = statSync(join(broker, 'server.log')).size;
    // Two passes, and the read-backs of the lines quoted (the evidence's, once for all topics, and the appendix's), each up to
    // the last line it quotes: 3.2× here. Was one evidence pass and one read-back per topic: 5.4×.
    expect(reads[join(broker, 'server.log')]! / size).toBeGreaterThanOrEqual(2);
    expect(reads[join(broker, 'server.log')]! / size).toBeLessThan(3.5);
  });
});
