/**
 * The evidence is never changed: after every command over the bundled
 * incidents and the hostile inputs, each input file has the same bytes, size,
 * mode and mtime, and no file has appeared or gone. (`expected.*` files are
 * the tests' own goldens, not evidence: UPDATE_GOLDEN rewrites them.)
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runAs } from './cli.js';

const FIXTURES = join(REPO, 'fixtures');

function snapshot(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('expected.') || name.endsWith('.expected.txt') || name.endsWith('.expected.json')) continue;
    const path = join(dir, name);
    const info = lstatSync(path);
    const rel = relative(FIXTURES, path);
    if (info.isDirectory()) {
      out.set(`${rel}/`, `dir ${info.mode.toString(8)}`);
      snapshot(path, out);
    } else {
      const hash = info.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'special';
      out.set(rel, `${hash} ${info.size} ${info.mode.toString(8)} ${info.mtimeMs}`);
    }
  }
  return out;
}

const INCIDENTS = readdirSync(FIXTURES).filter((d) => d !== 'bad' && lstatSync(join(FIXTURES, d)).isDirectory()).map((d) => `fixtures/${d}`);

const RUNS: string[][] = [
  ...INCIDENTS.flatMap((d) => [
    ['timeline', d, '--tz', 'Asia/Seoul'],
    ['timeline', d, '--json', '--all'],
    ['timeline', d, '--format', 'ndjson', '--show-unrecognised', '--skew', 'broker-1=+1s'],
    ['windows', d, '--json'],
    ['windows', d],
  ]),
  ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--tz', 'Asia/Seoul'],
  ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--json'],
  ['gap', '--topic', 'orders', 'fixtures/dump-log-segments', 'fixtures/bad'],
  ['gap', '--topic', 'orders', 'fixtures/unclean-election-2024-03-18', '--json'],
  ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--tz', 'auto'],
  ['timeline', 'fixtures/bad', '--all', '--verbose', '--show-unrecognised'],
  ['timeline', 'fixtures/bad', '--strict'],
  ['windows', 'fixtures/bad', '--json'],
];

describe('the evidence is never changed', () => {
  it(`bytes, sizes, modes and mtimes of every fixture are the same after ${RUNS.length} commands`, () => {
    const before = snapshot(FIXTURES);
    expect(before.size).toBeGreaterThan(50);
    for (const args of RUNS) {
      const r = runAs(args);
      // Exit codes vary by input (1: the damaged gzip; 1: --strict); a crash is a stack trace.
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at .*\.js:\d+/);
      expect([0, 1], `${args.join(' ')}\n${r.stderr}`).toContain(r.status);
    }
    const after = snapshot(FIXTURES);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, facts] of before) expect(after.get(path), path).toBe(facts);
    // A limit, not a speed goal: each command starts a process, and every fixture added adds commands.
  }, RUNS.length * 5_000);
});
