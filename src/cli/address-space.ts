import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

/**
 * Under an address-space limit (`ulimit -v`), V8 sizes its heap from the
 * machine's memory, not from the limit: when the heap outgrows the limit an
 * allocation fails below JavaScript and the process dies of SIGABRT or
 * SIGSEGV with no word of why. So, under a limit, the command runs in a child
 * process whose heap is sized to fit in it (V8 then stops at its own heap
 * limit), and a child killed by a signal is said in one message, exit 1.
 */

/** Set in the child: it runs the command itself. */
const CHILD = 'KFORENSICS_HEAP_SIZED';

/** The address-space limit in bytes (Linux), or undefined when there is none. */
export function addressSpaceLimit(limits = readLimits()): number | undefined {
  const m = /^Max address space\s+(\S+)/m.exec(limits ?? '');
  if (!m || m[1] === 'unlimited') return undefined;
  const bytes = Number(m[1]);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The JavaScript heap (MB) for an address-space limit: what is left after
 * the address space V8, the runtime and the native scanners reserve
 * besides the heap (about 1 GiB), at most 4 GiB, at least 64 MB.
 */
export function heapForLimit(bytes: number): number {
  return Math.max(64, Math.min(4096, Math.floor((bytes - (1 << 30)) / 2 ** 20)));
}

/**
 * Under an address-space limit, runs this same command in a child with a
 * heap that fits and exits with its status (never returns); else returns
 * at once and the command runs here.
 */
export function runWithinAddressSpace(script: string): void {
  if (process.env[CHILD] === '1') return;
  const limit = addressSpaceLimit();
  if (limit === undefined) return;
  const heap = heapForLimit(limit);
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${heap}`, script, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, [CHILD]: '1' },
  });
  if (child.error) {
    process.stderr.write(`kforensics: could not start under the address-space limit (ulimit -v ${Math.floor(limit / 1024)} KB): ${child.error.message}; raise the limit (ulimit -v unlimited) (exit code 1).\n`);
    process.exit(1);
  }
  const end = childEnd(limit, heap, child.status, child.signal);
  if (end.message) process.stderr.write(end.message);
  process.exit(end.exit);
}

/** The exit code for how the child ended, and what to say of it. */
export function childEnd(limit: number, heap: number, status: number | null, signal: NodeJS.Signals | null): { exit: number; message?: string } {
  if (signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGPIPE') return { exit: 128 + (constants.signals[signal] ?? 0) };
  if (signal || status === 134) {
    return {
      exit: 1,
      message: `kforensics: ran out of memory under the address-space limit (ulimit -v ${Math.floor(limit / 1024)} KB, ${heap} MB of it for the JavaScript heap) and stopped (${signal ?? 'abort'}); nothing above is complete. Raise the limit (ulimit -v unlimited, or at least 2 GB more), or give fewer inputs at once (exit code 1).\n`,
    };
  }
  return { exit: status ?? 1 };
}
