/**
 * Terminal escape sequences never reach the terminal raw: in file and folder
 * names (of files read, damaged, skipped, not followed), in log lines quoted
 * back (--show-unrecognised, --strict) and in the values of flags quoted in
 * an error. Each is printed with \x escapes (src/sources/printable.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

/** Sets the window title, then paints red: obeyed, it would rewrite what the user sees. */
const ESC = '\x1b]0;pwned\x07\x1b[31m';
const t = tempDir('kf-esc-');
const dir = join(t.root, `ev/broker-1${ESC}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `server${ESC}.log`), readFileSync(join(REPO, 'fixtures/isolated-leader-2023-11-14/broker-3/server.log')));
writeFileSync(join(dir, `odd${ESC}.log`), [
  '[2024-01-01 00:00:00,000] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)',
  '\x1b[2Jnot a record',
  '[2024-13-01 00:00:00,000] INFO a bad month (kafka.Foo)',
  '',
].join('\n'));
writeFileSync(join(dir, `cut${ESC}.log.gz`), gzipSync('[2024-01-01 00:00:00,000] INFO x (kafka.Foo)\n'.repeat(100)).subarray(0, 40));
writeFileSync(join(dir, `empty${ESC}.log`), '');
writeFileSync(join(dir, `cr${ESC}.log`), '[2024-01-01 00:00:00,000] INFO x (kafka.Foo)\r'.repeat(3));
writeFileSync(join(dir, `server${ESC}.properties`), 'unclean.leader.election.enable=true\n');
symlinkSync('/nowhere', join(dir, `dangling${ESC}.log`));
mkdirSync(join(t.root, `outside${ESC}`));
symlinkSync(join(t.root, `outside${ESC}`), join(dir, `out${ESC}`));

const x = (s: string) => s.replace(/\s*\n ›\s*/g, ' ');

describe('names from the evidence', () => {
  it.each([
    ['timeline', 'ev', '--verbose', '--show-unrecognised', '--all'],
    ['timeline', 'ev', '--strict'],
    ['timeline', 'ev', '--json', '--show-unrecognised'],
    ['windows', 'ev', '--verbose'],
    ['gap', '--topic', 'orders', 'ev'],
    ['report', 'ev', '--out', join(t.root, 'r.md')],
    ['report', 'ev', '--out', `ev/new${ESC}.md`],
    ['timeline', `ev/missing${ESC}`],
  ])('%s %s %s %s: no escape sequence on stderr or stdout', (...args) => {
    const r = runAs(args, { cwd: t.root });
    expect([0, 1, 2], r.stderr).toContain(r.status);
    expect(r.stderr).not.toContain('\x1b');
    if (!args.includes('--json')) expect(r.stdout).not.toContain('\x1b');
    expect(r.stderr).toMatch(/\\x1b\]0;pwned\\x07\\x1b\[31m/);
  });
});

describe('values of flags quoted back', () => {
  const bad = `x${ESC}`;
  it.each([
    [['timeline', 'ev', '--since', bad], '--since "x\\x1b]0;pwned\\x07\\x1b[31m" is not a time'],
    [['timeline', 'ev', '--until', bad], 'is not a time'],
    [['timeline', 'ev', '--tz', bad], 'Unknown time zone "x\\x1b]0;pwned'],
    [['timeline', 'ev', '--tz', bad, '--json'], 'Unknown time zone "x\\x1b]0;pwned'],
    [['timeline', 'ev', '--display-tz', bad], 'Unknown time zone'],
    [['timeline', 'ev', '--node-map', `${bad}=broker-1`], '--node-map "x\\x1b]0;pwned'],
    [['timeline', 'ev', '--format', bad], '--format'],
    [['timeline', 'ev', `--${bad}`], '--x\\x1b]0;pwned'],
    [['gap', 'ev', '--topic', bad], 'is not a Kafka topic name: one is 1 to 249 of the characters a-z A-Z 0-9 . _ -'],
    [['report', 'ev', '--out', join(t.root, 'g.md'), '--generated-at', bad], '--generated-at "x\\x1b]0;pwned'],
    [[bad], 'is not a kforensics command'],
  ])('%j: said escaped, exit 2', (args, message) => {
    const r = runAs(args, { cwd: t.root });
    expect(r.stderr).not.toContain('\x1b');
    expect(x(r.stderr)).toContain(message);
    expect(r.status === 2 || r.status === 127, r.stderr).toBe(true);
  });

  it('--skew naming no node of the logs: said escaped', () => {
    const r = runAs(['timeline', 'ev', '--skew', `${bad}=+1s`], { cwd: t.root });
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).toContain('--skew x\\x1b]0;pwned\\x07\\x1b[31m: no such node');
  });

  it('on a terminal too (oclif renders its errors there)', () => {
    // script(1) gives the command a terminal; skipped where it is missing.
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${REPO}/bin/run.js" timeline ev --since "$(printf 'x\\033[31m')"`, '/dev/null'], {
      cwd: t.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
    });
    if (r.error) return;
    expect(r.stdout).toContain('x\\x1b[31m');
    expect(r.stdout).not.toContain('x\x1b[31m');
  });
});
