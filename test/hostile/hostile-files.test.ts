/**
 * One defect per input (fixtures/bad/), each with the message a user sees as
 * a golden file next to it: fixtures/bad/<case>.expected.txt holds the exit
 * code, the number of events streamed and stderr (temporary paths written as
 * $TMP). Inputs that cannot be committed (a 20 MB line, an empty directory,
 * a FIFO, a symbolic link loop, an unreadable file, a path that does not
 * exist) are made in a temporary directory when the test runs.
 * Regenerate on purpose with UPDATE_GOLDEN=1 and read the diff.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const tmp = tempDir('kforensics-bad-');
// mkdtemp makes 0700 directories; the unreadable case runs the CLI as another user.
chmodSync(tmp.root, 0o755);

const isRoot = process.getuid?.() === 0;
/** An unprivileged uid for the EACCES case when the tests run as root (root reads anything). */
const NOBODY = 65534;

const RECORD = (i: number, text = `[ReplicaFetcherManager on broker 1] Removed fetcher for partitions Set(orders-${i})`) =>
  `[2024-03-01 10:00:${String(10 + i).padStart(2, '0')},000] INFO ${text} (kafka.server.ReplicaFetcherManager)`;

interface Case {
  name: string;
  /** Paths to give the CLI (relative to the repository, or made under $TMP). */
  paths: () => string[];
  uid?: number;
  skip?: string;
}

const committed = (name: string, file: string): Case => ({ name, paths: () => [`fixtures/bad/${file}`] });

const CASES: Case[] = [
  committed('binary', 'binary.bin'),
  committed('empty-file', 'empty.log'),
  committed('truncated-gzip', 'truncated.log.gz'),
  committed('latin1', 'latin1.log'),
  committed('iso646-brackets', 'iso646-brackets.log'),
  committed('docker-compose-prefix', 'docker-compose.log'),
  committed('kubectl-timestamps-prefix', 'kubectl-timestamps.log'),
  committed('supervisor-prefix', 'supervisor.log'),
  committed('utf16le-bom', 'utf16le-bom.log'),
  committed('nul-run', 'nul-run.log'),
  committed('spliced-lines', 'spliced.log'),
  committed('time-goes-backwards', 'backwards.log'),
  committed('cut-paste', 'cut-paste.log'),
  {
    name: 'huge-line',
    paths: () => {
      const dir = join(tmp.root, 'huge-line');
      mkdirSync(dir, { recursive: true });
      // 20 MB on one line between ordinary records: cut at 1 MiB, the rest still read.
      const huge = `${RECORD(1, `Removed fetcher for partitions Set(${'orders-1, '.repeat(2_000_000)})`)}`;
      writeFileSync(join(dir, 'server.log'), `${RECORD(0)}\n${huge}\n${RECORD(2)}\n${RECORD(3)}\n`);
      return [dir];
    },
  },
  {
    name: 'empty-directory',
    paths: () => {
      const dir = join(tmp.root, 'empty-directory');
      mkdirSync(dir, { recursive: true });
      return [dir];
    },
  },
  {
    name: 'unreadable-file',
    uid: isRoot ? NOBODY : undefined,
    paths: () => {
      const dir = join(tmp.root, 'unreadable-file');
      mkdirSync(join(dir, 'readable'), { recursive: true });
      writeFileSync(join(dir, 'unreadable.log'), `${RECORD(0)}\n`);
      writeFileSync(join(dir, 'readable', 'server.log'), `${RECORD(1)}\n${RECORD(2)}\n`);
      chmodSync(join(dir, 'unreadable.log'), 0o000);
      chmodSync(join(dir, 'readable'), 0o755);
      chmodSync(dir, 0o755);
      return [dir];
    },
  },
  {
    name: 'symlink-loop',
    paths: () => {
      const dir = join(tmp.root, 'symlink-loop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'server.log'), `${RECORD(0)}\n`);
      symlinkSync('b.log', join(dir, 'a.log'));
      symlinkSync('a.log', join(dir, 'b.log'));
      return [dir];
    },
  },
  {
    name: 'fifo',
    paths: () => {
      const dir = join(tmp.root, 'fifo');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'server.log'), `${RECORD(0)}\n`);
      // Opening a FIFO for reading blocks until a writer comes: it must never be opened.
      execFileSync('mkfifo', [join(dir, 'pipe.log')]);
      return [dir];
    },
  },
  {
    name: 'missing-path',
    paths: () => [join(tmp.root, 'does-not-exist')],
  },
];

function normalise(text: string): string {
  return text.split(tmp.root).join('$TMP').replace(/\r/g, '');
}

describe('hostile inputs: one defect each, the message a user sees', () => {
  it.each(CASES)('$name', ({ name, paths, uid }) => {
    const args = ['timeline', ...paths(), '--tz', 'UTC', '--format', 'ndjson', '--all', '--verbose', '--show-unrecognised'];
    const r = runAs(args, uid !== undefined ? { uid } : {});
    // Never a crash: a stack trace on stderr would mean one.
    expect(r.stderr, r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).length;
    const actual = `exit: ${r.status}\nevents: ${events}\n--- stderr\n${normalise(r.stderr)}`;
    const golden = join(REPO, 'fixtures/bad', `${name}.expected.txt`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      if (process.env.CI) throw new Error(`${golden} is missing; generate it with UPDATE_GOLDEN=1 and review it`);
      writeFileSync(golden, actual);
    }
    expect(actual).toBe(readFileSync(golden, 'utf8'));
  });
});
