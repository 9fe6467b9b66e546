/**
 * A compressed archive is unpacked once to a private spool under the
 * temporary directory; its members are then ranges of that spool (a plain
 * tar's, of the tar itself), read as plain files are: into reused buffers,
 * not as streams that allocate every read anew. The spool goes on every end
 * of the process (a signal too), and a temporary directory that cannot take
 * it is said, with what to do.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../commands/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { expandInputs } from '../../src/sources/archive.js';
import { readRawChunks } from '../../src/sources/open.js';

const tmp = tempDir('kforensics-spool-');
const LOG = join(REPO, 'fixtures/ha-test-2024-02-23/node3/server.log.2024-02-23-07');

/** A broker log of about `bytes`: the fixture's lines over and over (each copy a record of its own). */
function bigLog(bytes: number): string {
  const one = readFileSync(LOG, 'utf8');
  return one.repeat(Math.ceil(bytes / one.length));
}

function packed(name: string, flags: string, size: number): string {
  const dir = join(tmp.root, name);
  mkdirSync(join(dir, 'broker-1'), { recursive: true });
  writeFileSync(join(dir, 'broker-1', 'server.log'), bigLog(size));
  const archive = join(tmp.root, `${name}.${flags === '-czf' ? 'tar.gz' : 'tar'}`);
  execFileSync('tar', [flags, archive, 'broker-1'], { cwd: dir });
  return archive;
}

async function chunksOf(path: string): Promise<{ bytes: Buffer; buffers: Set<ArrayBufferLike>; chunks: number }> {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let chunks = 0;
  for await (const chunk of readRawChunks(path)) {
    chunks++;
    buffers.add(chunk.buffer);
    parts.push(Buffer.from(chunk));
  }
  return { bytes: Buffer.concat(parts), buffers, chunks };
}

describe('members that lie in a file on disk are read as plain files are', () => {
  it.each([['-cf', 'in place (a plain tar)'], ['-czf', 'spooled (a .tar.gz)']])('%s: %s, into one reused buffer, byte for byte', async (flags) => {
    const archive = packed(`reuse${flags}`, flags, 5 << 20);
    const found = await expandInputs({ files: [{ path: archive, size: statSync(archive).size }], notRead: [], missing: [] }, false);
    expect(found.files.map((f) => f.path)).toEqual([`${archive}!/broker-1/server.log`]);
    const got = await chunksOf(found.files[0]!.path);
    expect(got.bytes.equals(readFileSync(join(tmp.root, `reuse${flags}`, 'broker-1', 'server.log')))).toBe(true);
    // Several reads, one buffer: a stream would have handed out a new one for each.
    expect(got.chunks).toBeGreaterThan(3);
    expect(got.buffers.size).toBe(1);
  });
});

describe('the spool goes on every end', () => {
  let made: string | undefined;
  const archive = (): string => (made ??= packed('signal', '-czf', 60 << 20));

  it.each(['SIGTERM', 'SIGINT'] as const)('%s during the reading: the spool directory is removed, the signal ends the process', async (signal) => {
    const spoolRoot = join(tmp.root, `tmp-${signal}`);
    mkdirSync(spoolRoot);
    const child = spawn(process.execPath, [`${REPO}/bin/run.js`, 'windows', archive(), '--tz', 'UTC', '--json'], {
      env: { ...process.env, TMPDIR: spoolRoot, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
    // Once the archive is unpacked (its spool written, the members being read).
    const deadline = Date.now() + 120_000;
    const spooled = (): boolean => readdirSync(spoolRoot).some((d) => d.startsWith('kforensics-') && readdirSync(join(spoolRoot, d)).length > 0);
    while (!spooled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(spooled()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const end = await ended;
    expect(end.signal ?? end.code).toBe(signal);
    expect(readdirSync(spoolRoot)).toEqual([]);
  }, 180_000);
});

describe('a temporary directory that cannot take the spool', () => {
  it('is said with what to do (free space, or TMPDIR), exit 1, and leaves nothing behind', () => {
    const spoolRoot = join(tmp.root, 'tmp-full');
    mkdirSync(spoolRoot);
    const archive = packed('full', '-czf', 2 << 20);
    // A file size limit of 100 KiB stands for a full disk: the spool's write fails part way.
    const r = spawnSync('sh', ['-c', `ulimit -f 200 && exec "${process.execPath}" "${REPO}/bin/run.js" timeline "${archive}" --tz UTC --json`], {
      encoding: 'utf8', env: { ...process.env, TMPDIR: spoolRoot, NO_COLOR: '1' }, maxBuffer: 64 << 20,
    });
    expect(r.status, r.stderr).toBe(1);
    const input = JSON.parse(r.stdout).inputs.find((i: { file: string }) => i.file === archive);
    expect(input.skipped).toMatch(/^cannot read: the file size limit \(ulimit -f\) was reached in the temporary directory .*: a compressed archive is unpacked there to be read .*set TMPDIR to a directory with room/);
    expect(r.stderr).toContain('could not be read in full');
    expect(readdirSync(spoolRoot)).toEqual([]);
    expect(existsSync(archive)).toBe(true);
  });
});
