import { randomBytes } from 'node:crypto';
import { constants, unlinkSync } from 'node:fs';
import { lstat, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { evidencePath } from '../sources/open.js';
import { printable } from '../sources/printable.js';
import { encodedBlocks, type Pause } from './stream-json.js';

/**
 * Writing a report: never onto the evidence, never half a file.
 *
 * Files are compared by device and inode after every link is resolved, so a
 * symbolic link, a symlinked directory, `/proc/self/cwd/…` or a hard link to
 * an input is seen for what it is. The report goes to a temporary file beside
 * its target, is flushed to the disk, then renamed over the target: a full
 * disk or a killed process leaves the previous report as it was.
 *
 * A process killed outright (`kill -9`, a power cut) leaves its temporary
 * file behind. Linux could create it unnamed (O_TMPFILE) and link it in
 * place, but Node offers neither the flag nor linkat(AT_EMPTY_PATH), and a
 * link cannot replace an existing report anyway. So the temporary file is
 * named for what it is, `.<report>.kforensics-<pid>-<random>.tmp`, and the
 * next run for the same target removes those whose process is gone (and
 * says so); a run stopped by a signal it can catch removes its own.
 */

/** Why --out cannot be used: the command exits 2 with this message. */
export class OutPathError extends Error {}

/** The report failed while it was being rendered (not an --out problem): nothing was written. */
export class RenderError extends Error {
  constructor(out: string, cause: unknown) {
    super(`The report could not be rendered (${cause instanceof Error ? cause.message : String(cause)}); nothing was written to ${printable(out)}. This is a fault of kforensics, not of the input or --out: please report it with the command line.`, { cause });
  }
}

interface Identity { dev: number; ino: number }

const same = (a: Identity, b: Identity): boolean => a.dev === b.dev && a.ino === b.ino;

/** Where writing `out` would land: the file a link leads to, else the path in its resolved directory. */
async function target(out: string): Promise<{ path: string; exists: boolean }> {
  const abs = resolve(out);
  try {
    return { path: await realpath(abs), exists: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const link = await lstat(abs).catch(() => undefined);
  if (link?.isSymbolicLink()) throw new OutPathError(`--out ${printable(out)} is a symbolic link to a file that does not exist; name the file itself.`);
  let dir: string;
  try {
    dir = await realpath(dirname(abs));
  } catch {
    throw new OutPathError(`Cannot write ${printable(out)}: its directory ${dirname(abs)} does not exist. Create it or choose another --out.`);
  }
  return { path: join(dir, basename(abs)), exists: false };
}

/**
 * Refuses an --out that is one of the inputs, or lies inside a directory
 * given as input (the report would join the evidence and be read by the next
 * run). `roots` are the paths given on the command line, `files` every file
 * found under them (read or not).
 */
export async function checkOutPath(out: string, roots: readonly string[], files: readonly string[] = []): Promise<void> {
  const where = await target(out);
  const info = where.exists ? await stat(where.path) : undefined;
  if (info?.isDirectory()) throw new OutPathError(`--out ${printable(out)} is a directory; name a file to write.`);
  const inputs: { path: string; id: Identity; dir: boolean }[] = [];
  for (const path of [...roots, ...files]) {
    const s = await stat(evidencePath(path)).catch(() => undefined);
    if (s) inputs.push({ path, id: s, dir: s.isDirectory() });
  }
  if (info) {
    const hit = inputs.find((i) => !i.dir && same(i.id, info));
    if (hit) {
      throw new OutPathError(`--out ${printable(out)} is one of the input files (${hit.path === out ? 'the same path' : `the same file as ${printable(hit.path)}`}); ` +
        'writing there would destroy evidence. Write the report elsewhere.');
    }
  }
  // The directories the report would sit in, up to the root of the file system.
  const dirs = inputs.filter((i) => i.dir);
  if (dirs.length === 0) return;
  for (let dir = dirname(where.path); ; dir = dirname(dir)) {
    const s = await stat(dir).catch(() => undefined);
    const hit = s && dirs.find((d) => same(d.id, s));
    if (hit && info) {
      throw new OutPathError(`--out ${printable(out)} is one of the input files (it lies inside ${printable(hit.path)}, which is being read); ` +
        'writing there would destroy evidence. Write the report elsewhere.');
    }
    if (hit) {
      throw new OutPathError(`--out ${printable(out)} is inside ${printable(hit.path)}, which is being read as evidence; ` +
        'the report would be added to the evidence (and read by the next run). Write it elsewhere.');
    }
    if (dir === dirname(dir)) return;
  }
}

/** A write error worded by its real cause. */
function writeFailure(out: string, dir: string, bytes: number, existed: boolean, e: NodeJS.ErrnoException): OutPathError {
  const kept = existed ? ` The previous ${printable(out)} is unchanged.` : ' Nothing was written.';
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new OutPathError(`Cannot write ${printable(out)}: no space left on the device of ${dir} (${e.code === 'EDQUOT' ? 'disk quota exceeded' : 'disk full'}; the report is ${bytes} bytes).${kept} Free space or write the report elsewhere.`);
    case 'EFBIG':
      return new OutPathError(`Cannot write ${printable(out)}: the report (${bytes} bytes) exceeds the file size limit (ulimit -f).${kept} Raise the limit or write elsewhere.`);
    case 'EROFS':
      return new OutPathError(`Cannot write ${printable(out)}: ${dir} is on a read-only file system.${kept} Write the report elsewhere.`);
    case 'EACCES':
    case 'EPERM':
      return new OutPathError(`Cannot write ${printable(out)}: permission denied creating a file in ${dir}.${kept} Write the report to a directory you can write to.`);
    case 'EIO':
      return new OutPathError(`Cannot write ${printable(out)}: input/output error on the device of ${dir}.${kept} Check the disk, or write elsewhere.`);
    default:
      return new OutPathError(`Cannot write ${printable(out)}: ${e.message}.${kept}`);
  }
}

/**
 * Writes `text` to `out` whole or not at all: into a new file beside the
 * target (the link's target when `out` is a symbolic link), flushed, then
 * renamed over it. The previous file's permissions are kept.
 */
export async function writeOutAtomically(out: string, text: string | Uint8Array | Iterable<string | Pause>): Promise<void> {
  const where = await target(out);
  const dir = dirname(where.path);
  let bytes = typeof text === 'string' ? Buffer.byteLength(text) : text instanceof Uint8Array ? text.length : 0;
  const mode = where.exists ? (await stat(where.path)).mode & 0o7777 : 0o666;
  await removeStaleTemporaries(dir, basename(where.path));
  const tmp = join(dir, `${tmpPrefix(basename(where.path))}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  // A signal that ends the process (SIGINT, SIGTERM: see process-guards) runs 'exit' handlers.
  const onExit = (): void => {
    if (created) try { unlinkSync(tmp); } catch { /* gone already */ }
  };
  process.once('exit', onExit);
  try {
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    created = true;
    try {
      if (where.exists) await handle.chmod(mode);
      if (typeof text === 'string' || text instanceof Uint8Array) {
        await handle.writeFile(text);
      } else {
        // In blocks of ~1 MiB: a long report is never one string (encodedBlocks, as writeChunks writes to a stream).
        for await (const block of encodedBlocks(text)) {
          // A write may take part of the block (a disk filling up); the rest is written, or fails, next.
          bytes += block.length;
          for (let at = 0; at < block.length;) at += (await handle.write(block, at, block.length - at)).bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, where.path);
    created = false;
  } catch (e) {
    if (created) await unlink(tmp).catch(() => undefined);
    created = false;
    // Only the file system's errors are the output's fault; one thrown while the report was being rendered is not.
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw new RenderError(out, e);
    throw writeFailure(out, dir, bytes, where.exists, e as NodeJS.ErrnoException);
  } finally {
    process.removeListener('exit', onExit);
  }
  // The rename itself survives a crash once the directory is flushed; not every file system allows it.
  const d = await open(dir, constants.O_RDONLY).catch(() => undefined);
  if (d) await d.sync().catch(() => undefined).finally(() => d.close());
}

/** The start of the name of a temporary file beside `name` (its pid and a random part follow). */
function tmpPrefix(name: string): string {
  return `.${name}.kforensics-`;
}

const TMP_TAIL = /^(\d+)-[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files an earlier run writing `name` in `dir` left
 * when it was killed (its process no longer runs): only regular files of
 * this user, named as writeOutAtomically names them. Each is said on stderr.
 */
async function removeStaleTemporaries(dir: string, name: string): Promise<void> {
  const prefix = tmpPrefix(name);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = TMP_TAIL.exec(entry.slice(prefix.length));
    if (!m || alive(Number(m[1]))) continue;
    const path = join(dir, entry);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile() || (process.getuid && info.uid !== process.getuid())) continue;
    await unlink(path).then(
      () => process.stderr.write(`Removed ${printable(path)}: an unfinished report left by an earlier run that was killed (process ${m[1]}).\n`),
      () => undefined,
    );
  }
}

/** Whether a process with this id runs (EPERM: it runs as another user). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
