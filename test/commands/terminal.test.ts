import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './run-cli.js';

const HA = 'fixtures/ha-test-2024-02-23';
const ESC = '\u001b[';

/** The built CLI with stdout into a pipe and the environment given (no NO_COLOR unless said). */
function piped(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, ...args], { cwd: REPO, encoding: 'utf8', env: { ...base, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The built CLI on a pseudo-terminal (util-linux `script`), output as the terminal got it. */
function onTerminal(args: string[], env: Record<string, string> = {}): string | undefined {
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const base: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  delete base.CI;
  const command = [process.execPath, `${REPO}/bin/run.js`, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO, encoding: 'utf8', env: { ...base, ...env } });
  return r.stdout;
}

describe('colour: on a terminal only, NO_COLOR and FORCE_COLOR honoured', () => {
  const args = ['timeline', HA, '--min-severity', 'warn', '--no-windows'];

  it('piped output has no escape codes, also where a CI variable is set', () => {
    for (const env of [{ CI: '' }, { CI: 'true' }]) {
      const r = piped(args, env);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('warn');
      expect(r.stdout, JSON.stringify(env)).not.toContain(ESC);
    }
  });

  it('FORCE_COLOR paints severities even into a pipe; NO_COLOR wins on a terminal', () => {
    const forced = piped(args, { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}33mwarn${ESC}39m`);
    expect(forced.stdout).toContain(`${ESC}31merror${ESC}39m`);
    const tty = onTerminal(args);
    if (tty === undefined) return void console.warn('skipped the terminal half: util-linux `script` is not installed');
    expect(tty).toContain(`${ESC}33mwarn${ESC}39m`);
    expect(onTerminal(args, { NO_COLOR: '1' })).not.toContain(`${ESC}33m`);
  });
});

describe('stderr stays quiet when stdout is piped', () => {
  it('one summary line, on a terminal too; the list of files with --verbose', () => {
    const quiet = piped(['timeline', HA, '--no-windows', '--tz', 'UTC']);
    expect(quiet.stderr.trim().split('\n')).toEqual([
      'Read 38 log file(s), 2320 lines: 1357 records + 963 folded + 0 unrecognised (0 with a bad timestamp). Not read by the timeline: 21 file(s) (--verbose lists them).',
    ]);
    const verbose = piped(['timeline', HA, '--no-windows', '--verbose']);
    expect(verbose.stderr).toContain(`  ${HA}/node1/server.log [kafka-server, broker-1,zk-1] 193 = 93 + 100 + 0`);
    expect(verbose.stderr).toContain(`  ${HA}/README.md: `);
    const tty = onTerminal(['timeline', HA, '--no-windows', '--until', '2024-02-23 00:00']);
    if (tty !== undefined) {
      expect(tty).toContain('Read 38 log file(s), 2320 lines');
      expect(tty).not.toContain(`  ${HA}/node1/server.log [kafka-server, broker-1,zk-1] 193 = 93 + 100 + 0`);
    }
  });

  it('windows and gap too', () => {
    // One summary line, and the one warning that the zone the logs were read in was not checked.
    const windows = piped(['windows', HA, '--tz', 'UTC']).stderr.trim().split('\n');
    expect(windows).toHaveLength(2);
    expect(windows[0]).toMatch(/^Read \d+ log file\(s\)/);
    expect(windows[1]).toMatch(/^Zone UTC not checked/);
    const gap = piped(['gap', 'fixtures/account-event-2022-10-05', '--topic', 'account_event', '--tz', 'Asia/Seoul']);
    expect(gap.stderr.trim().split('\n')).toEqual([
      'Read 1 dump file(s), 802 lines.',
      'Read 11 log file(s), 431 lines: 364 records + 67 folded + 0 unrecognised (0 with a bad timestamp).',
    ]);
  });
});

describe('the table on a terminal', () => {
  // The terminal's width, set before the run; the rows as the terminal got them (escape codes removed).
  const at = (columns: number, args: string[]): string[] | undefined => {
    const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) return undefined;
    const command = `stty cols ${columns}; ${[process.execPath, `${REPO}/bin/run.js`, ...args].map((a) => `'${a}'`).join(' ')}`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    // eslint-disable-next-line no-control-regex
    // What stays on each line: the text after its last carriage return (the progress line is drawn and erased with them).
    return r.stdout.split('\n').map((l) => l.replace(/\r$/, '').split('\r').at(-1)!.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''));
  };

  it('is no wider than the terminal, down to 80 columns; piped, the fixed widths', () => {
    for (const columns of [80, 120]) {
      const lines = at(columns, ['timeline', HA, '--tz', 'UTC', '--min-severity', 'warn', '--no-windows']);
      if (lines === undefined) return;
      const rows = lines.filter((l) => /^\d{4}-\d\d-\d\d /.test(l));
      expect(rows.length).toBeGreaterThan(5);
      // The table's lines (the title and the accounting are sentences the terminal wraps).
      for (const l of lines.filter((x) => !/^(Timeline of|Read \d)/.test(x))) expect(l.length, l).toBeLessThanOrEqual(columns);
    }
    const piped80 = piped(['timeline', HA, '--tz', 'UTC', '--min-severity', 'warn', '--no-windows'], { COLUMNS: '80' });
    expect(Math.max(...piped80.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(120);
  });

  it('the windows summary comes after the rows', () => {
    const r = piped(['timeline', HA, '--tz', 'UTC', '--min-severity', 'warn']);
    const firstRow = r.stdout.search(/^2024-02-23 /m);
    const windows = r.stdout.indexOf('broker-down');
    expect(firstRow).toBeGreaterThan(0);
    expect(windows).toBeGreaterThan(firstRow);
  });

  it('no progress line when stderr is piped', () => {
    const r = piped(['timeline', HA, '--tz', 'UTC', '--no-windows']);
    expect(r.stderr).not.toContain('reading:');
  });
});

describe('progress while the inputs are read', () => {
  const ACCOUNT = 'fixtures/account-event-2022-10-05';
  const out = join(mkdtempSync(join(tmpdir(), 'kf-progress-')), 'r.md');
  const commands: [string, string[]][] = [
    ['timeline', ['timeline', HA, '--tz', 'UTC']],
    ['windows', ['windows', HA, '--tz', 'UTC']],
    ['report', ['report', ACCOUNT, '--tz', 'Asia/Seoul', '--topic', 'account_event', '--out', out]],
    ['gap', ['gap', ACCOUNT, '--tz', 'Asia/Seoul', '--topic', 'account_event']],
  ];

  it.each(commands)('%s: drawn on a terminal as reading starts (files and bytes read, elapsed), erased before the output', (_, args) => {
    const tty = onTerminal(args, { NO_COLOR: '1' });
    if (tty === undefined) return void console.warn('skipped: util-linux `script` is not installed');
    const drawn = /\r\u001b\[Kreading: [\d.]+ of [\d.]+ MB, \d+ of (\d+) file\(s\) done, [\d.]+ s/.exec(tty);
    expect(drawn, tty.slice(0, 500)).not.toBeNull();
    expect(Number(drawn![1])).toBeGreaterThan(0);
    // Erased: no line the terminal keeps ends with it.
    const kept = tty.split('\n').map((l) => l.replace(/\r$/, '').split('\r').at(-1)!);
    expect(kept.filter((l) => l.includes('reading:'))).toEqual([]);
  });

  it.each(commands)('%s: none when stderr is piped', (_, args) => {
    expect(piped(args).stderr).not.toContain('reading:');
  });
});
