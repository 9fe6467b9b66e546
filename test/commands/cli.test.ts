import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { flat, REPO, runCli } from './run-cli.js';

const HA = 'fixtures/ha-test-2024-02-23';

describe('help, suggestions and completion (oclif plugins)', () => {
  it('`help` is a command and lists every command; -h and --help show a command\'s usage', () => {
    const help = runCli(['help']);
    expect(help.status).toBe(0);
    for (const c of ['timeline', 'windows', 'gap', 'report', 'autocomplete']) expect(help.stdout).toMatch(new RegExp(`^\\s+${c}\\s`, 'm'));
    const short = runCli(['timeline', '-h']);
    expect(short.status).toBe(0);
    expect(short.stdout).toContain('$ kforensics timeline [PATHS...]');
    expect(runCli(['help', 'timeline']).stdout).toBe(short.stdout);
  });

  it('every usage line names PATHS, gap\'s too', () => {
    for (const c of ['timeline', 'windows', 'gap', 'report']) {
      // Optional: with no path, a log piped in on standard input is read.
      expect(runCli([c, '--help']).stdout, c).toMatch(new RegExp(`\\$ kforensics ${c} \\[PATHS\\.\\.\\.\\]`));
    }
  });

  it('a mistyped command names the nearest one and exits 127, paths after it or not', () => {
    const r = runCli(['timelin', HA]);
    expect(r.status).toBe(127);
    expect(flat(r.stderr)).toContain('"timelin" is not a kforensics command. Did you mean kforensics timeline?');
    const far = runCli(['frobnicate']);
    expect(far.status).toBe(127);
    expect(far.stderr).not.toContain('Did you mean');
    expect(far.stderr).toContain('kforensics help');
  });

  it('on a terminal it asks "Did you mean timeline?": yes runs it with the same paths and flags, no exits 127', () => {
    if (spawnSync('script', ['--version']).status !== 0) return void console.warn('skipped: util-linux `script` is not installed');
    const ask = (answer: string) => {
      const command = `${process.execPath} ${REPO}/bin/run.js timelin fixtures/bad/latin1.log --tz UTC --no-windows; echo "exit=$?"`;
      // The answer is typed once the question is up (the pseudo-terminal echoes it).
      const r = spawnSync('sh', ['-c', `(sleep 3; printf '${answer}\r'; sleep 3) | script -qec '${command}' /dev/null`], {
        cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000,
      });
      return r.stdout;
    };
    const yes = ask('y');
    expect(yes).toContain('Did you mean timeline?');
    expect(yes).toContain('Timeline of fixtures/bad/latin1.log');
    expect(yes).toContain('exit=0');
    const no = ask('n');
    expect(no).toContain('Did you mean timeline?');
    expect(no).not.toContain('Timeline of');
    expect(no).toContain('exit=127');
  });

  it('shell completion: `autocomplete bash` prints the setup and completes the commands\' flags', () => {
    const home = mkdtempSync(join(tmpdir(), 'kf-home-'));
    const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, 'autocomplete', 'bash'], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), NO_COLOR: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('kforensics autocomplete:script bash');
    const dir = join(home, '.cache/kforensics/autocomplete/functions/bash');
    const cache = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(cache).toMatch(/timeline[^\n]*--since/);
  });
});

describe('flags and paths in any order', () => {
  it('no paths: what to give, and no claim that list flags must come last', () => {
    // No path and nothing piped in (an empty pipe here): standard input was empty, exit 1.
    for (const command of ['timeline', 'windows'] as const) {
      const r = runCli([command, '--node-map', 'x=y', '--tz', 'UTC']);
      expect(r.status, `${command}: ${r.stderr}`).toBe(1);
      expect(flat(r.stderr), command).toContain('give the paths to read');
      expect(r.stderr, command).not.toContain('Note:');
    }
    const r = runCli(['explain', '--tz', 'UTC']);
    expect(r.status).toBe(2);
    expect(flat(r.stderr)).toContain('Missing FILE:LINE');
    expect(flat(r.stderr)).toContain('(flags may come before or after it)');
    expect(r.stderr).not.toContain('Note:');
  });

  it('list flags before the paths take one value each (repeat them or use commas)', () => {
    const before = runCli(['timeline', '--tz', 'Asia/Seoul', '--topic', 'test-topic-2', HA, '--json']);
    expect(before.status, before.stderr).toBe(0);
    const after = runCli(['timeline', HA, '--tz', 'Asia/Seoul', '--topic', 'test-topic-2', '--json']);
    expect(JSON.parse(before.stdout).events.length).toBeGreaterThan(0);
    expect(before.stdout).toBe(after.stdout);
    const commas = runCli(['timeline', '--node', 'broker-1,zk-3', HA, '--json']);
    const repeated = runCli(['timeline', '--node', 'broker-1', '--node', 'zk-3', HA, '--json']);
    expect(new Set(JSON.parse(commas.stdout).events.map((e: { node: string }) => e.node))).toEqual(new Set(['broker-1', 'zk-3']));
    expect(commas.stdout).toBe(repeated.stdout);
  });
});
