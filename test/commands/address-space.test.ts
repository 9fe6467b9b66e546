import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addressSpaceLimit, childEnd, heapForLimit } from '../../src/cli/address-space.js';
import { REPO, runCli } from './run-cli.js';

describe('an address-space limit (ulimit -v)', () => {
  it('is read from /proc/self/limits', () => {
    expect(addressSpaceLimit('Max address space         unlimited            unlimited            bytes\n')).toBeUndefined();
    expect(addressSpaceLimit('Max stack size 8388608 unlimited bytes\nMax address space         3072000000           3072000000           bytes\n')).toBe(3072000000);
    expect(addressSpaceLimit(undefined)).toBeUndefined();
  });

  it('sizes the heap to fit in it', () => {
    expect(heapForLimit(3_072_000_000)).toBe(1905);
    expect(heapForLimit(1_100_000_000)).toBe(64);
    expect(heapForLimit(64 * 2 ** 30)).toBe(4096);
  });

  it('runs a command under 2 GB as without a limit', () => {
    const args = ['timeline', 'fixtures/ha-test-2024-02-23', '--tz', 'UTC', '--format', 'ndjson'];
    const free = runCli(args);
    const r = spawnSync('bash', ['-c', `ulimit -v 2000000 && exec "${process.execPath}" bin/run.js ${args.join(' ')}`], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.stderr).not.toContain('ran out of memory');
    expect(r.status).toBe(free.status);
    expect(r.stdout).toBe(free.stdout);
  }, 60_000);

  it('says so, with exit 1, when the command outgrows it (V8 aborts at its heap limit, or a signal)', () => {
    for (const [status, signal] of [[null, 'SIGABRT'], [null, 'SIGSEGV'], [134, null]] as const) {
      const end = childEnd(2_048_000_000, 929, status, signal);
      expect(end.exit).toBe(1);
      expect(end.message).toContain('ran out of memory under the address-space limit (ulimit -v 2000000 KB, 929 MB of it for the JavaScript heap)');
    }
    expect(childEnd(2_048_000_000, 929, 2, null)).toEqual({ exit: 2 });
    expect(childEnd(2_048_000_000, 929, null, 'SIGINT')).toEqual({ exit: 130 });
  });
});
