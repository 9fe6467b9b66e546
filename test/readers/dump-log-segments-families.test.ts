import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountedFor, describeFile } from './dump-golden.js';
import { REPO } from '../commands/run-cli.js';

// One hand-made fixture per DumpLogSegments output family (message-catalogue
// §3), each with a golden JSON that was checked line by line against the
// fixture. UPDATE_GOLDEN=1 rewrites the goldens: check the diff by hand.
const DIR = join(REPO, 'fixtures', 'dump-log-segments');
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();

describe('DumpLogSegments families: golden fixtures', () => {
  it('has a fixture for every family, the index dumps and the transaction markers', () => {
    const names = FIXTURES.map((f) => f.replace(/-.*|\.txt$/g, ''));
    for (const family of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'index', 'timeindex', 'txn']) expect(names).toContain(family);
  });

  for (const file of FIXTURES) {
    it(`${file} parses to its golden JSON, every line accounted for`, () => {
      const got = describeFile(join(DIR, file));
      expect(accountedFor(got.counts)).toBe(got.counts.linesRead);
      expect(got.unrecognised).toEqual([]);
      const golden = join(DIR, file.replace(/\.txt$/, '.expected.json'));
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, `${JSON.stringify(got, null, 2)}\n`);
      expect(existsSync(golden), `${golden} is missing (UPDATE_GOLDEN=1 writes it; then check it by hand)`).toBe(true);
      const want = JSON.parse(readFileSync(golden, 'utf8'));
      expect(JSON.parse(JSON.stringify(got))).toEqual(want);
    });
  }
});
