import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { printable } from './printable.js';
import { evidencePath, registerRawPath } from './open.js';

export interface FoundFile {
  path: string;
  size: number;
  /** Device and inode when found (`dev:ino`): a file replaced while being read is told by it. */
  id?: string;
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

export interface DiscoverOptions {
  /** Follow symbolic links that lead out of the given paths (off: such links are listed as not read). */
  followSymlinks?: boolean;
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
    case 'ENAMETOOLONG': return 'cannot read: path longer than the system allows (move the folder up, or give the deeper folder itself)';
    default: return `cannot read: ${err.message}`;
  }
}

/** Skip reason of a link that leads out of the given paths (a read failure: the answer may lack its files). */
export function linkNotFollowed(target: string): string {
  return `cannot read: symbolic link to ${target}, outside the given paths; not followed (give --follow-symlinks, or the target itself, to read it)`;
}

const key = (s: Stats): string => `${s.dev}:${s.ino}`;

/** Whether `real` (a resolved path) lies in one of the resolved roots. */
function inside(real: string, roots: readonly string[]): boolean {
  return roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
}

/**
 * Every regular file under the given paths, in a stable order (sorted names,
 * depth first), each file once however many links (symbolic or hard) reach
 * it. Symbolic links are followed only while they stay inside the given
 * paths, unless `followSymlinks`. FIFOs, sockets and devices are listed as not
 * read: opening them could block or never end.
 *
 * The walk keeps an explicit stack and uses the types readdir gives, so its
 * cost is one lstat per entry whatever the depth, it holds no descriptor
 * between calls, and its memory is the listings along the current path.
 */
export async function discover(paths: readonly string[], options: DiscoverOptions = {}): Promise<Discovery> {
  const result: Discovery = { files: [], notRead: [], missing: [] };
  /** dev:ino of every file and directory taken, to take each once. */
  const seen = new Map<string, string>();
  const roots: string[] = [];
  for (const path of paths) {
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined) roots.push(real);
  }

  /** Takes a file, or a directory to walk (true), each once. */
  function take(path: string, info: Stats, viaLink: boolean): boolean {
    const id = key(info);
    const first = seen.get(id);
    if (first !== undefined) {
      if (info.isDirectory()) {
        if (viaLink) result.notRead.push({ path, reason: 'symbolic link to a directory already read (loop or duplicate)' });
      } else if (info.isFile()) {
        result.notRead.push({ path, reason: `same file as ${printable(first)} (${viaLink ? 'symbolic' : 'hard'} link); read once` });
      }
      return false;
    }
    seen.set(id, path);
    if (info.isDirectory()) return true;
    if (!info.isFile()) {
      result.notRead.push({ path, reason: 'not a regular file (FIFO, socket or device)' });
      return false;
    }
    result.files.push({ path, size: info.size, id });
    return false;
  }

  // Paths still to visit, depth first: one array per directory being walked, its children in reverse order.
  const stack: string[][] = [];

  /** Links met in the walk, taken after it: a file or folder is then named by its own path, not a link's. */
  const links: string[] = [];

  async function visit(path: string, fromArgument: boolean, deferred = false): Promise<void> {
    let info: Stats;
    let viaLink = false;
    // A path whose names are not all UTF-8 is shown escaped and reached by its bytes.
    const at = evidencePath(path);
    try {
      info = await lstat(at);
      if (info.isSymbolicLink() && !fromArgument && !deferred) {
        links.push(path);
        return;
      }
      if (info.isSymbolicLink()) {
        viaLink = true;
        info = await stat(at);
        const real = await realpath(at);
        // A link given on the command line is followed: the user named it.
        if (!fromArgument && !options.followSymlinks && !inside(real, roots)) {
          result.notRead.push({ path, reason: linkNotFollowed(printable(real)) });
          return;
        }
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (fromArgument && err.code === 'ENOENT' && !viaLink) {
        result.missing.push(path);
        return;
      }
      result.notRead.push({ path, reason: describeErrno(err) });
      return;
    }
    if (!take(path, info, viaLink && !fromArgument)) return;
    let raws: Buffer[];
    try {
      raws = await readdir(at, { encoding: 'buffer' });
    } catch (e) {
      result.notRead.push({ path, reason: describeErrno(e as NodeJS.ErrnoException) });
      return;
    }
    const children: string[] = [];
    for (const raw of raws) {
      const name = raw.toString('utf8');
      const utf8 = Buffer.from(name, 'utf8').equals(raw);
      // Node's paths are strings: a name that is not UTF-8 is shown with \x escapes and opened by its bytes.
      const shown = utf8 ? name : printable(raw.toString('latin1'), true);
      if (!utf8 || typeof at !== 'string') {
        registerRawPath(join(path, shown), Buffer.concat([typeof at === 'string' ? Buffer.from(at) : at, Buffer.from(sep), raw]));
      }
      children.push(shown);
    }
    children.sort();
    stack.push(children.reverse().map((n) => join(path, n)));
  }

  const walk = async (): Promise<void> => {
    while (stack.length > 0) {
      const next = stack[stack.length - 1]!.pop();
      if (next === undefined) stack.pop();
      else await visit(next, false);
    }
  };
  for (const path of paths) {
    await visit(path, true);
    await walk();
  }
  for (let i = 0; i < links.length; i++) {
    await visit(links[i]!, false, true);
    await walk();
  }
  return result;
}
