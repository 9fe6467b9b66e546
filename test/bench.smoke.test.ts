import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from './commands/run-cli.js';

// Keeps `npm run bench` working: a 10 MB run, one round. Only the correctness
// checks are asserted (the generator's counts against kforensics and grep);
// speed is never asserted in a unit test.
describe('npm run bench, smoke run', () => {
  it('generates inputs, runs every case and passes its count checks', () => {
    const r = spawnSync(process.execPath, ['scripts/bench.mjs', '--size', '10M', '--rounds', '1', '--fleet-size', '2M', '--fleet-nodes', '3'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok {3}kforensics found (\d+) events; the generator wrote \1/);
    expect(r.stdout).toMatch(/ok {3}gap read (\d+) records and \d+ gaps; the generator wrote \1/);
    expect(r.stdout).toMatch(/ok {3}fleet: windows from the event files are those from the raw logs/);
    expect(r.stdout).not.toContain('MISS');
  });
});
