import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './commands/run-cli.js';

const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', timeout: 30_000 });

describe('the scripts honour --help and reject what they do not know', () => {
  it.each(['gen-server-log', 'gen-many-logs', 'bench', 'bench-gap', 'make-account-event-dump'])('scripts/%s.mjs --help prints its usage and does nothing else', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-script-help-'));
    const out = join(dir, 'out.txt');
    const args = name === 'gen-server-log' || name === 'gen-many-logs' ? ['--out', out, '--help'] : name === 'make-account-event-dump' ? ['--help', out] : ['--help'];
    const r = node([`scripts/${name}.mjs`, ...args]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: /);
    expect(r.stdout).toContain('-h, --help');
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).not.toMatch(/ok {3}kforensics found|^wrote /m);
  });

  it('gen-many-logs writes the folders and files it says, and they read back line for line', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kf-many-logs-')), 'fleet');
    const r = node(['scripts/gen-many-logs.mjs', '--brokers', '10', '--rotations', '2', '--lines', '12', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const truth = JSON.parse(r.stderr) as { files: number; lines: number; restarts: number };
    // Per broker: 2 rotations, server.log, controller.log, state-change.log; broker-10 restarts.
    expect(truth).toMatchObject({ files: 50, lines: 600, restarts: 1 });
    const read = node(['bin/run.js', 'windows', out]);
    expect(read.stderr).toContain('Read 50 log file(s), 600 lines: 600 records');
    expect(read.stdout).toMatch(/broker-down\s.*broker-10/);
    expect(node(['scripts/gen-many-logs.mjs', '--brokers', '0', '--out', out]).status).toBe(2);
  });

  it('an unknown option is a usage error (exit 2), before anything is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-script-bad-'));
    const out = join(dir, 'out.log');
    const r = node(['scripts/gen-server-log.mjs', '--out', out, '--sise', '10M']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--sise'");
    expect(existsSync(out)).toBe(false);
    expect(node(['scripts/gen-server-log.mjs', '--out', out, '--size', 'big']).status).toBe(2);
    expect(node(['scripts/bench.mjs', '--rounds', '0']).status).toBe(2);
    const inputs = node(['scripts/bench.mjs', '--inputs', 'project,kafka']);
    expect(inputs.status).toBe(2);
    expect(inputs.stderr).toContain('--inputs takes project, dense and zk');
  });

  it('npm run bench -- --help prints the usage without building or generating', () => {
    const built = statSync(join(REPO, 'dist/index.js')).mtimeMs;
    const r = spawnSync('npm', ['run', '--silent', 'bench', '--', '--help'], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run bench/);
    expect(r.stdout).not.toMatch(/ok {3}kforensics found/);
    expect(statSync(join(REPO, 'dist/index.js')).mtimeMs).toBe(built);
  });
});

describe('the packed package runs outside the clone', () => {
  it('holds the bin, the compiled commands and their manifest, the schemas and the native sources its install script builds', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const files = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string>; oclif: { plugins: string[] }; dependencies: Record<string, string> };
    expect(files).toContain(pkg.bin.kforensics!.replace(/^\.\//, ''));
    for (const command of ['timeline', 'windows', 'gap', 'report', 'rules', 'explain']) expect(files).toContain(`dist/commands/${command}.js`);
    for (const f of ['oclif.manifest.json', 'binding.gyp', 'native/kforensics.c', 'schema/timeline.v1.json', 'dist/cli/not-found.js']) expect(files).toContain(f);
    expect(files).toContain(/node (\S+)/.exec(pkg.scripts.install!)![1]);
    for (const plugin of pkg.oclif.plugins) expect(Object.keys(pkg.dependencies)).toContain(plugin);
    expect([...files].some((f) => f.startsWith('test/') || f.startsWith('fixtures/'))).toBe(false);
  });
});
