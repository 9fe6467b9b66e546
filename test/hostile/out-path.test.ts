/**
 * `report --out` never lands on the evidence, whatever route leads to it, and
 * a report is written whole or not at all.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const t = tempDir('kf-out-');
const EV = join(t.root, 'ev');
cpSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1'), join(EV, 'broker-1'), { recursive: true });
const LOG = 'ev/broker-1/server.log';
symlinkSync('broker-1/server.log', join(EV, 'current.md'));
symlinkSync('ev', join(t.root, 'evlink'));
linkSync(join(EV, 'broker-1/server.log'), join(t.root, 'hard.md'));
mkdirSync(join(t.root, 'out'));
const original = readFileSync(join(t.root, LOG));

const REFUSED: { name: string; args: string[]; message: string }[] = [
  { name: 'a symbolic link inside the evidence folder', args: ['ev', '--out', 'ev/current.md'], message: 'is one of the input files' },
  { name: 'the input through a symlinked directory', args: ['ev', '--out', 'evlink/broker-1/server.log', '--format', 'md'], message: 'is one of the input files' },
  { name: 'inputs given through a symlinked directory', args: ['evlink', '--out', `${LOG}`, '--format', 'md'], message: 'is one of the input files' },
  { name: '/proc/self/cwd', args: ['ev', '--out', `/proc/self/cwd/${LOG}`, '--format', 'md'], message: 'is one of the input files' },
  { name: 'a hard link to an input file', args: [LOG, '--out', 'hard.md'], message: `the same file as ${LOG}` },
  { name: 'a hard link through /proc/self/cwd', args: [LOG, '--out', '/proc/self/cwd/hard.md'], message: `the same file as ${LOG}` },
  { name: 'a new file inside the evidence folder', args: ['ev', '--out', 'evlink/new.md'], message: 'is inside ev, which is being read as evidence' },
  { name: 'a directory', args: [LOG, '--out', 'out', '--format', 'md'], message: 'is a directory' },
  { name: 'a missing directory', args: [LOG, '--out', 'nowhere/r.md'], message: 'its directory' },
];

describe('report --out is refused when it is the evidence', () => {
  it.each(REFUSED)('$name: exit 2, "$message", evidence unchanged', ({ args, message }) => {
    const r = runAs(['report', ...args], { cwd: t.root });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.replace(/\s*\n ›\s*/g, ' ')).toContain(message);
    expect(readFileSync(join(t.root, LOG)).equals(original)).toBe(true);
    expect(existsSync(join(EV, 'new.md'))).toBe(false);
  });
});

describe('report --out is written whole, by rename', () => {
  it('replaces the previous report, keeps its mode, and leaves no temporary file', () => {
    const out = join(t.root, 'out/r.md');
    writeFileSync(out, 'previous report\n', { mode: 0o640 });
    const r = runAs(['report', LOG, '--out', out], { cwd: t.root });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('broker-1');
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(t.root, 'out'))).toEqual(['r.md']);
  });

  it('a run killed outright (kill -9) left its temporary file: the next run for that target removes it and says so', () => {
    const dir = join(t.root, 'killed');
    mkdirSync(dir);
    // A process id that is gone: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = `.r.md.kforensics-${dead}-0123abcd.tmp`;
    const running = `.r.md.kforensics-${process.pid}-0123abcd.tmp`;
    const others = ['.other.md.kforensics-1-0123abcd.tmp', '.r.md.kforensics-notes.tmp', 'r.md.bak'];
    for (const name of [stale, running, ...others]) writeFileSync(join(dir, name), 'half a report');
    const r = runAs(['report', LOG, '--out', join(dir, 'r.md')], { cwd: t.root });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Removed ${join(dir, stale)}: an unfinished report left by an earlier run that was killed (process ${dead}).`);
    // Only its own, of a process that is gone: a running writer's and any other file stay.
    expect(readdirSync(dir).sort()).toEqual([running, ...others, 'r.md'].sort());
  });

  it('writes through a symbolic link to its target, leaving the link', () => {
    writeFileSync(join(t.root, 'out/target.md'), 'old\n');
    symlinkSync('target.md', join(t.root, 'out/link.md'));
    const r = runAs(['report', LOG, '--out', 'out/link.md'], { cwd: t.root });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(t.root, 'out/target.md'), 'utf8')).toContain('broker-1');
    expect(readdirSync(join(t.root, 'out')).sort()).toContain('link.md');
  });

  it('a full disk names the disk, keeps the previous report and leaves no temporary file', (ctx) => {
    const mnt = join(t.root, 'small');
    mkdirSync(mnt);
    // A 16 KiB tmpfs in a private mount namespace (needs root; skipped otherwise).
    const script = `mount -t tmpfs -o size=16k tmpfs "$1" || exit 99; printf 'previous\\n' > "$1/r.md"; ` +
      `"$2" "$3/bin/run.js" report "$3/fixtures/account-event-2022-10-05" --out "$1/r.md"; rc=$?; ` +
      `echo "rc=$rc"; cat "$1/r.md"; ls -a "$1"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mnt, process.execPath, REPO], {
      encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
    });
    if (r.error || r.status === 99 || r.status === null || !r.stdout.includes('rc=')) {
      ctx.skip(`cannot mount a small tmpfs here (${r.error?.message ?? r.stderr.trim()})`);
      return;
    }
    expect(r.stdout).toContain('rc=2');
    expect(r.stderr.replace(/\s*\n ›\s*/g, ' ')).toMatch(/no space left on the device of .*disk full.*The previous .*r\.md is unchanged/);
    expect(r.stdout).toContain('previous\n');
    expect(r.stdout.split('\n').filter((l) => l.endsWith('.tmp'))).toEqual([]);
  });
});
