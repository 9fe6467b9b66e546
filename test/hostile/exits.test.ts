/**
 * Exit codes and messages at the edges: usage errors with --json, a closed
 * pipe, a bad --generated-at.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO, runAs } from './cli.js';
import { tempDir } from '../helpers/tmp.js';

const AE = 'fixtures/account-event-2022-10-05';

describe('exit codes and messages', () => {
  it.each([
    { name: 'an unknown flag', args: ['timeline', AE, '--bogus', '--json'], message: 'Nonexistent flag: --bogus' },
    { name: 'an unknown zone', args: ['windows', AE, '--json', '--tz', 'Nowhere/X'], message: 'Unknown time zone "Nowhere/X"' },
    { name: 'a bad --since', args: ['timeline', AE, '--json', '--since', '2024-02-30 10:00'], message: '--since "2024-02-30 10:00" is not a time' },
    { name: 'a missing path', args: ['gap', '--topic', 't', 'no/such/dir', '--json'], message: 'No such file or directory: no/such/dir' },
  ])('--json with $name: exit 2, the message on stderr, nothing on stdout', ({ args, message }) => {
    const r = runAs(args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it.each(['ndjson', 'table'])('--format %s | head -1: exit 0, nothing on stderr', (format) => {
    const sh = spawnSync('bash', ['-c', `"${process.execPath}" bin/run.js timeline ${AE} --tz UTC --all --format ${format} | head -1 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    expect(sh.stdout.trim()).toBe('rc=0');
    expect(sh.stderr).toBe('');
  });

  it.each(['timeline', 'windows'])('%s 2>&1 | a slow reader: the closing lines on stderr come after everything on stdout', (command) => {
    // Into a pipe stdout is written asynchronously: rows wait in memory while
    // the reader is slow, and stderr must not overtake them.
    const log = `${tempDir('kf-order-').root}/server.log`;
    spawnSync(process.execPath, ['scripts/gen-server-log.mjs', '--dense', '--size', '3M', '--out', log], { cwd: REPO });
    const sh = spawnSync('bash', ['-c', `"${process.execPath}" bin/run.js ${command} "${log}" --tz UTC 2>&1 | (sleep 1; cat)`], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    const lines = sh.stdout.split('\n');
    const closing = lines.findIndex((l) => l.startsWith('Read 1 log file(s)'));
    const lastRow = lines.findLastIndex((l) => l.startsWith('└') || l.startsWith('│'));
    expect(sh.stdout.length).toBeGreaterThan(1 << 17);
    expect(lastRow).toBeGreaterThan(0);
    expect(closing, sh.stdout.slice(-2000)).toBeGreaterThan(lastRow);
  });

  it('refuses a --generated-at that is not a time', () => {
    const r = runAs(['report', AE, '--out', '/tmp/kf-never.md', '--generated-at', 'garbage 2024']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--generated-at "garbage 2024" is not a time');
  });
});
