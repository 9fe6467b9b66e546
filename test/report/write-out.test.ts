import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutPathError, RenderError, writeOutAtomically } from '../../src/report/write-out.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('writing the report out', () => {
  it('a failure while rendering is said as such, not as a problem of --out, and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-write-out-'));
    dirs.push(dir);
    function* pieces(): Generator<string> {
      yield 'x'.repeat(2 << 20);
      throw new RangeError('Maximum call stack size exceeded');
    }
    const failure = await writeOutAtomically(join(dir, 'r.md'), pieces()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RenderError);
    expect(failure).not.toBeInstanceOf(OutPathError);
    expect((failure as Error).message).toMatch(/could not be rendered \(Maximum call stack size exceeded\); nothing was written/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a directory that cannot take the file is an --out problem', async () => {
    const failure = await writeOutAtomically('/nonexistent-dir/r.md', ['x']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutPathError);
  });
});
