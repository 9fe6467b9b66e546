/**
 * The evidence is never changed: after every command over the bundled
 * incidents and the hostile inputs, each input file has the same bytes, size,
 * mode, mtime and atime, and no file has appeared or gone. The fixtures are
 * copied with their times, every access time is set before the modification
 * time (so a kernel mounting with relatime would update it on the next read),
 * and the copy is given the links an evidence folder meets: a symbolic link
 * to a file, to a directory inside, to one outside, and a hard link; and
 * names no string path reaches (not UTF-8), a name holding a terminal escape,
 * and a log across a change of clocks.
 * (`expected.*` files are the tests' own goldens, not evidence.)
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, cpSync, linkSync, lstatSync, openSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const t = tempDir('kf-evidence-');
const FIXTURES = join(t.root, 'fixtures');
cpSync(join(REPO, 'fixtures'), FIXTURES, { recursive: true, preserveTimestamps: true });
const OUTSIDE = join(t.root, 'outside');
mkdirSync(OUTSIDE);
writeFileSync(join(OUTSIDE, 'server.log'), '[2024-01-01 00:00:00,000] INFO [KafkaServer id=9] started (kafka.server.KafkaServer)\n');
const LINKED = join(FIXTURES, 'linked');
mkdirSync(LINKED);
symlinkSync('../account-event-2022-10-05/broker-1/server.log', join(LINKED, 'current.log'));
symlinkSync('../ha-test-2024-02-23', join(LINKED, 'ha'));
symlinkSync(OUTSIDE, join(LINKED, 'outside'));
linkSync(join(FIXTURES, 'account-event-2022-10-05/broker-1/controller.log'), join(LINKED, 'controller.hard.log'));
// Names no string path reaches (read by their bytes), a name with a terminal escape, a log across a change of clocks.
const ODD = join(FIXTURES, 'odd');
mkdirSync(Buffer.from(`${ODD}/br\xe9ker-7`, 'latin1'), { recursive: true });
writeFileSync(Buffer.from(`${ODD}/br\xe9ker-7/server\xff.log`, 'latin1'), readFileSync(join(FIXTURES, 'isolated-leader-2023-11-14/broker-3/server.log')));
writeFileSync(join(ODD, 'esc\x1b[31m.log'), readFileSync(join(FIXTURES, 'isolated-leader-2023-11-14/broker-3/server.log')));
writeFileSync(join(ODD, 'dst.log'), ['01:50', '02:10', '02:50', '02:05', '02:30', '03:10']
  .map((t, i) => `[2024-10-27 ${t}:00,000] INFO [KafkaServer id=8] ${i % 2 ? 'shutting down' : 'started'} (kafka.server.KafkaServer)\n`).join(''));
const OUT = join(t.root, 'reports');
mkdirSync(OUT);

/** Paths as bytes: a name that is not UTF-8 has no string path. */
const under = (dir: Buffer, name: Buffer): Buffer => Buffer.concat([dir, Buffer.from('/'), name]);
const names = (dir: Buffer): Buffer[] => readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);

function files(dir: Buffer, out: Buffer[] = []): Buffer[] {
  for (const name of names(dir)) {
    const path = under(dir, name);
    if (lstatSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

// An hour before its modification time: relatime updates such an atime on a read.
for (const path of [...files(Buffer.from(FIXTURES)), ...files(Buffer.from(OUTSIDE))]) {
  const info = lstatSync(path);
  if (info.isFile()) utimesSync(path, new Date(info.mtimeMs - 3_600_000), info.mtime);
}

/** A file's bytes without touching its access time (the test's own reads must not move it). */
function readQuietly(path: Buffer): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOATIME ?? 0));
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function snapshot(dir: string | Buffer, out = new Map<string, string>()): Map<string, string> {
  const at = Buffer.from(dir);
  for (const raw of names(at)) {
    const name = raw.toString('latin1');
    if (name.startsWith('expected.') || name.endsWith('.expected.txt') || name.endsWith('.expected.json')) continue;
    const path = under(at, raw);
    const info = lstatSync(path);
    const rel = relative(t.root, path.toString('latin1'));
    if (info.isDirectory()) {
      out.set(`${rel}/`, `dir ${info.mode.toString(8)} ${info.mtimeMs}`);
      snapshot(path, out);
    } else {
      // A symbolic link's own atime moves whenever it is resolved, as any path through it is: not evidence.
      const facts = info.isFile() ? `${createHash('sha256').update(readQuietly(path)).digest('hex')} atime ${info.atimeMs}` : 'link';
      out.set(rel, `${facts} ${info.size} ${info.mode.toString(8)} mtime ${info.mtimeMs} links ${info.nlink}`);
    }
  }
  return out;
}

/** Whether this file system records access times at all (noatime mounts do not). */
function recordsAtime(): boolean {
  const probe = join(t.root, 'probe');
  writeFileSync(probe, 'x');
  const m = statSync(probe).mtime;
  utimesSync(probe, new Date(m.getTime() - 3_600_000), m);
  const before = statSync(probe).atimeMs;
  readFileSync(probe);
  return statSync(probe).atimeMs !== before;
}

const INCIDENTS = readdirSync(FIXTURES).filter((d) => !['bad', 'linked', 'odd'].includes(d) && lstatSync(join(FIXTURES, d)).isDirectory()).map((d) => `fixtures/${d}`);

const RUNS: string[][] = [
  ...INCIDENTS.flatMap((d) => [
    ['timeline', d, '--tz', 'Asia/Seoul'],
    ['timeline', d, '--json', '--all'],
    ['timeline', d, '--format', 'ndjson', '--show-unrecognised', '--skew', 'broker-1=+1s'],
    ['timeline', d, '--since', '2000-01-01 00:00'],
    ['windows', d, '--json'],
    ['windows', d],
    ['report', d, '--out', join(OUT, 'r.md')],
    ['report', d, '--out', join(OUT, 'r.json')],
  ]),
  ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--tz', 'Asia/Seoul'],
  ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--json'],
  ['gap', '--topic', 'orders', 'fixtures/dump-log-segments', 'fixtures/bad'],
  ['gap', '--topic', 'orders', 'fixtures/unclean-election-2024-03-18', '--json'],
  ['gap', '--topic', 'account_event', 'fixtures/account-event-2022-10-05', '--tz', 'auto'],
  ['timeline', 'fixtures/bad', '--all', '--verbose', '--show-unrecognised'],
  ['timeline', 'fixtures/bad', '--strict'],
  ['windows', 'fixtures/bad', '--json'],
  ['report', 'fixtures/bad', '--out', join(OUT, 'bad.html')],
  ['timeline', 'fixtures/linked', '--all', '--verbose'],
  ['timeline', 'fixtures/linked', '--follow-symlinks'],
  ['windows', 'fixtures/linked', '--follow-symlinks', '--json'],
  ['report', 'fixtures/linked', '--out', join(OUT, 'linked.md')],
  ['timeline', 'fixtures/odd', '--tz', 'Europe/Berlin', '--all', '--verbose', '--show-unrecognised'],
  ['windows', 'fixtures/odd', '--tz', 'Europe/Berlin', '--json'],
  ['gap', '--topic', 'orders', 'fixtures/odd', '--tz', 'Europe/Berlin'],
  ['report', 'fixtures/odd', '--tz', 'Europe/Berlin', '--out', join(OUT, 'odd.html')],
  ['report', 'fixtures/odd', '--out', join(OUT, 'odd.md'), '--generated-at', 'garbage 2024'],
  // Refused: each of these names an input.
  ['report', 'fixtures/linked', '--out', 'fixtures/linked/current.log', '--format', 'md'],
  ['report', 'fixtures/linked', '--out', 'fixtures/linked/controller.hard.log', '--format', 'md'],
  ['report', 'fixtures/account-event-2022-10-05', '--out', '/proc/self/cwd/fixtures/account-event-2022-10-05/broker-1/server.log', '--format', 'md'],
  ['report', 'fixtures/account-event-2022-10-05', '--out', 'fixtures/account-event-2022-10-05/new.md'],
];

const atime = recordsAtime();
const before = new Map([...snapshot(FIXTURES), ...snapshot(OUTSIDE)]);

describe('the evidence is never changed', () => {
  it('the copy holds the fixtures, and this file system records access times (else the atime check holds trivially)', (ctx) => {
    expect(before.size).toBeGreaterThan(50);
    if (!atime) ctx.skip('this file system does not record access times');
  });

  it.each(RUNS.map((args) => ({ command: args.join(' '), args })))('bytes, size, mode, mtime and atime of every input unchanged by $command', ({ args }) => {
    const r = runAs(args, { cwd: t.root });
    const refused = (args.includes('--out') && !args.some((a) => a.startsWith(OUT))) || args.includes('garbage 2024');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    // Exit codes vary by input (1: the damaged gzip, --strict, a link not followed); 2: --out or a flag refused.
    expect(refused ? [2] : [0, 1], r.stderr).toContain(r.status);
    const after = new Map([...snapshot(FIXTURES), ...snapshot(OUTSIDE)]);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, facts] of before) expect(after.get(path), path).toBe(facts);
    // A limit, not a speed goal: each command starts a process, and every fixture added adds commands.
  }, RUNS.length * 5_000);
});
