import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FoundFile {
  path: string;
  size: number;
}

export interface NotRead {
  path: string;
  reason: string;
}

export interface Discovery {
  files: FoundFile[];
  notRead: NotRead[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
}

/**
 * Why a path was not read. Failures to read something that is there start
 * with `cannot read: ` (plan.ts CANNOT_READ): they make the commands exit 1.
 * A symbolic link loop or a dangling link points at nothing to read.
 */
function describeErrno(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM': return 'cannot read: permission denied (run as a user who can read it, or copy it with its permissions)';
    case 'ELOOP': return 'symbolic link loop (the link resolves to itself; nothing to read)';
    case 'ENOENT': return 'dangling symbolic link, or vanished while being listed';
    default: return `cannot read: ${err.message}`;
  }
}

/**
 * Every regular file under the given paths, in a stable order (sorted names),
 * each file once even when symbolic links reach it twice. FIFOs, sockets and
 * devices are listed as not read: opening them could block or never end.
 */
export async function discover(paths: readonly string[]): Promise<Discovery> {
  const result: Discovery = { files: [], notRead: [], missing: [] };
  const seen = new Set<string>();

  async function visit(path: string, fromArgument: boolean): Promise<void> {
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (fromArgument && err.code === 'ENOENT') {
        result.missing.push(path);
        return;
      }
      result.notRead.push({ path, reason: describeErrno(err) });
      return;
    }
    let real: string;
    try {
      real = await realpath(path);
    } catch (e) {
      result.notRead.push({ path, reason: describeErrno(e as NodeJS.ErrnoException) });
      return;
    }
    if (seen.has(real)) {
      if (info.isDirectory() && (await lstat(path)).isSymbolicLink()) {
        result.notRead.push({ path, reason: 'symbolic link to a directory already read (loop or duplicate)' });
      }
      return;
    }
    seen.add(real);
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(path);
      } catch (e) {
        result.notRead.push({ path, reason: describeErrno(e as NodeJS.ErrnoException) });
        return;
      }
      names.sort();
      for (const name of names) await visit(join(path, name), false);
      return;
    }
    if (!info.isFile()) {
      result.notRead.push({ path, reason: 'not a regular file (FIFO, socket or device)' });
      return;
    }
    result.files.push({ path, size: info.size });
  }

  for (const path of paths) await visit(path, true);
  return result;
}
