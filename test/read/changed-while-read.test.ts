import { renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/sources/discover.js';
import { changedWhileRead } from '../../src/read/read.js';
import { tempDir } from '../helpers/tmp.js';

// A log rotated by copytruncate or renamed while kforensics reads it: said, not passed over.
describe('changedWhileRead', () => {
  const t = tempDir();
  it('says nothing for a file left alone, or one that grew', async () => {
    const path = t.write('alone/server.log', 'a\nb\n');
    const [found] = (await discover([path])).files;
    expect(changedWhileRead(found!)).toBeNull();
    writeFileSync(path, 'a\nb\nc\n');
    expect(changedWhileRead(found!)).toBeNull();
  });

  it('names a truncation (copytruncate)', async () => {
    const path = t.write('truncated/server.log', 'a\nb\nc\n');
    const [found] = (await discover([path])).files;
    truncateSync(path, 0);
    expect(changedWhileRead(found!)).toContain('truncated while being read (6 bytes when found, 0 now; copytruncate?)');
  });

  it('names a file replaced under its name (rename and recreate)', async () => {
    const path = t.write('renamed/server.log', 'a\n');
    const [found] = (await discover([path])).files;
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'new\n');
    expect(statSync(path).size).toBe(4);
    expect(changedWhileRead(found!)).toContain('replaced while being read (renamed or rotated)');
  });
});
