/**
 * The bundled incidents as operators receive them: packed as .tar, .tar.gz
 * and .zip, nested (a tar of gzipped files inside a tar.gz, a zip inside a
 * tar.gz), and every file recompressed as .xz, .bz2 and .zst. Each must give
 * byte for byte the JSON the folder gives (timeline, windows, gap), once file
 * names are put back (the archive's name and `!/` taken out, compression
 * suffixes dropped). The archives are made when the test runs; a format
 * whose tool is missing is skipped, saying so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { once } from 'node:events';
import yazl from 'yazl';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../commands/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('kforensics-archives-');
const FIXTURES = join(REPO, 'fixtures');
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

const INCIDENTS = [
  {
    name: 'ha-test-2024-02-23',
    runs: [['timeline', '--tz', 'Asia/Seoul', '--json'], ['windows', '--tz', 'Asia/Seoul', '--json']],
  },
  {
    name: 'account-event-2022-10-05',
    runs: [
      ['timeline', '--tz', 'Asia/Seoul', '--json'], ['windows', '--tz', 'Asia/Seoul', '--json'],
      ['gap', '--topic', 'account_event', '--tz', 'Asia/Seoul', '--json'],
    ],
  },
];

/** Every file of an incident (relative to fixtures/), goldens left out, in a directory walk's order. */
function filesOf(incident: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(FIXTURES, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (name.startsWith('expected.')) continue;
      if (statSync(join(FIXTURES, rel)).isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk(incident);
  return out;
}

/** A zip of `files` (relative to `root`, stored under the same names). */
async function zip(root: string, files: readonly string[], to: string): Promise<string> {
  const z = new yazl.ZipFile();
  for (const f of files) z.addFile(join(root, f), f);
  z.end();
  const out = createWriteStream(to);
  z.outputStream.pipe(out);
  await once(out, 'close');
  return to;
}

function tar(cwd: string, args: readonly string[], to: string, files: readonly string[]): string {
  execFileSync('tar', [...args, to, ...files], { cwd });
  return to;
}

/** A copy of the incident with every file compressed by `tool` (named with `ext` added). */
function recompressed(incident: string, tool: string, ext: string, files: readonly string[]): string {
  const root = join(tmp.root, `${tool}-copy`);
  for (const f of files) {
    const to = join(root, `${f}.${ext}`);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, execFileSync(tool, ['-c', join(FIXTURES, f)], { maxBuffer: 64 << 20 }));
  }
  return join(root, incident);
}

/** File names put back: the archive's prefix taken out, and the suffix each compressed copy was given. */
function normalise(json: string, prefix: string, suffix: string | undefined, files: readonly string[]): string {
  let out = json.split(prefix).join('');
  if (!suffix) return out;
  for (const f of files) {
    if (f.endsWith(`.${suffix}`)) continue;
    const escaped = `${f}.${suffix}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`${escaped}(?=["';:,) ]|$)`, 'gm'), f);
  }
  return out;
}

function run(args: readonly string[], inputs: readonly string[], cwd: string): string {
  const [command, ...flags] = args;
  const r = runCli([command!, ...inputs, ...flags], cwd);
  expect(r.status, r.stderr).toBe(0);
  return `${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`;
}

describe.each(INCIDENTS)('$name read from archives and compressed copies', ({ name, runs }) => {
  const files = filesOf(name);
  /** The folder's own entries, as the golden tests give them. */
  const top = readdirSync(join(FIXTURES, name)).filter((n) => !n.startsWith('expected.')).sort().map((n) => `${name}/${n}`);
  const packed: { label: string; path: string; prefix: string; suffix?: string; skip?: string }[] = [];

  beforeAll(async () => {
    const dir = join(tmp.root, name);
    mkdirSync(dir, { recursive: true });
    const tarred = tar(FIXTURES, ['-cf'], join(dir, 'bundle.tar'), files);
    packed.push({ label: '.tar', path: tarred, prefix: `${tarred}!/` });
    const tgz = tar(FIXTURES, ['-czf'], join(dir, 'bundle.tar.gz'), files);
    packed.push({ label: '.tar.gz', path: tgz, prefix: `${tgz}!/` });
    const zipped = await zip(FIXTURES, files, join(dir, 'bundle.zip'));
    packed.push({ label: '.zip', path: zipped, prefix: `${zipped}!/` });

    // A tar.gz holding a tar of gzipped files: logrotate's .gz rotations collected into a bundle.
    const gz = join(dir, 'gz');
    // (A file the incident already holds gzipped stays as it is.)
    const gzName = (f: string): string => (f.endsWith('.gz') ? f : `${f}.gz`);
    for (const f of files) {
      mkdirSync(dirname(join(gz, f)), { recursive: true });
      writeFileSync(join(gz, gzName(f)), f.endsWith('.gz') ? readFileSync(join(FIXTURES, f)) : execFileSync('gzip', ['-c', '-n', join(FIXTURES, f)]));
    }
    const inner = tar(gz, ['-cf'], join(dir, 'rotations.tar'), files.map(gzName));
    const outer = tar(dir, ['-czf'], join(dir, 'nested.tar.gz'), [relative(dir, inner)]);
    packed.push({ label: 'tar of .gz files inside a .tar.gz', path: outer, prefix: `${outer}!/rotations.tar!/`, suffix: 'gz' });
    // A zip from a ticket, put in a tar.gz with other things.
    const inZip = tar(dir, ['-czf'], join(dir, 'ticket.tar.gz'), [relative(dir, zipped)]);
    packed.push({ label: 'zip inside a .tar.gz', path: inZip, prefix: `${inZip}!/bundle.zip!/` });

    for (const [tool, ext] of [['xz', 'xz'], ['bzip2', 'bz2'], ['zstd', 'zst']] as const) {
      if (!has(tool)) {
        packed.push({ label: `every file as .${ext}`, path: '', prefix: '', skip: `${tool} is not installed` });
        continue;
      }
      const copy = recompressed(name, tool, ext, files);
      packed.push({ label: `every file as .${ext}`, path: copy, prefix: `${dirname(copy)}/`, suffix: ext });
    }
  }, 120_000);

  it.each(runs)('%s: every packing gives the folder\'s JSON', (...args) => {
    const reference = run(args, top, FIXTURES);
    expect(packed.length).toBe(8);
    for (const p of packed) {
      if (p.skip) {
        console.warn(`${name} ${p.label}: skipped, ${p.skip}`);
        continue;
      }
      const got = normalise(run(args, [p.path], FIXTURES), p.prefix, p.suffix, files);
      expect(got, `${name} ${args[0]} from ${p.label}`).toBe(reference);
    }
  }, 300_000);
});

describe('archive damage is said, and the members before it are read', () => {
  it('a truncated .tar.gz: the complete members are read, the cut one up to the damage, exit 1', () => {
    const files = filesOf('ha-test-2024-02-23');
    const whole = readFileSync(tar(FIXTURES, ['-czf'], join(tmp.root, 'whole.tar.gz'), files));
    const cut = tmp.write('cut.tar.gz', whole.subarray(0, Math.floor(whole.length * 0.7)));
    const r = runCli(['timeline', cut, '--tz', 'Asia/Seoul', '--json', '--verbose']);
    expect(r.status).toBe(1);
    const inputs = JSON.parse(r.stdout).inputs as { file: string; linesRead: number; error: string | null; skipped: string | null }[];
    expect(inputs.filter((i) => i.error === null && i.skipped === null).length).toBeGreaterThan(3);
    const members = inputs.filter((i) => i.file !== cut);
    expect(members.every((i) => i.file.startsWith(`${cut}!/ha-test-2024-02-23/`))).toBe(true);
    // The archive itself is listed as not read in full: members after the damage are missing.
    expect(inputs.find((i) => i.file === cut)?.skipped).toMatch(/^cannot read: damaged gzip data .*members after byte \d+ are missing/);
    expect(r.stderr).toContain('could not be read in full');
  });

  it('members that are links or devices are listed as not read, never followed', () => {
    const dir = join(tmp.root, 'links');
    mkdirSync(join(dir, 'broker-1'), { recursive: true });
    writeFileSync(join(dir, 'broker-1', 'server.log'), '[2024-03-01 10:00:00,000] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)\n');
    execFileSync('ln', ['-s', '/etc/passwd', join(dir, 'broker-1', 'passwd.log')]);
    const archive = tar(dir, ['-cf'], join(tmp.root, 'links.tar'), ['broker-1']);
    const r = runCli(['timeline', archive, '--tz', 'UTC', '--json', '--verbose']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.inputs.map((i: { file: string }) => i.file)).toContain(`${archive}!/broker-1/server.log`);
    expect(json.inputs.find((i: { file: string }) => i.file === `${archive}!/broker-1/server.log`).node).toBe('broker-1');
    const link = json.inputs.find((i: { file: string }) => i.file === `${archive}!/broker-1/passwd.log`);
    expect(link.skipped).toBe('symbolic link inside the archive (not followed)');
  });
});

describe('nothing is written beside the evidence, and the spool is removed', () => {
  it('a .tar.gz read: its folder is as it was, and the temporary directory is empty after the run', () => {
    const dir = join(tmp.root, 'untouched');
    mkdirSync(dir, { recursive: true });
    const archive = tar(FIXTURES, ['-czf'], join(dir, 'bundle.tar.gz'), filesOf('ha-test-2024-02-23'));
    const before = readdirSync(dir).sort();
    const spoolRoot = join(tmp.root, 'tmpdir');
    mkdirSync(spoolRoot);
    const r = spawnSync(process.execPath, [`${REPO}/bin/run.js`, 'windows', archive, '--tz', 'Asia/Seoul', '--json'], {
      encoding: 'utf8', env: { ...process.env, TMPDIR: spoolRoot, NO_COLOR: '1' }, maxBuffer: 64 << 20,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).windows.length).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(spoolRoot)).toEqual([]);
  });
});
