import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from './commands/run-cli.js';

// Keeps `npm run bench` working: a 4 MB run, one round (some 40 runs of the CLI: minutes on a loaded machine). Only the correctness
// checks are asserted (the generator's counts against kforensics and grep);
// speed is never asserted in a unit test.
describe('npm run bench, smoke run', () => {
  it('generates inputs, runs every case and passes its count checks', () => {
    const r = spawnSync(process.execPath, ['scripts/bench.mjs', '--size', '4M', '--rounds', '1', '--fleet-size', '1M', '--fleet-nodes', '3'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok {3}kforensics found (\d+) events; the generator wrote \1/);
    expect(r.stdout).toMatch(/ok {3}gap read (\d+) records and \d+ gaps; the generator wrote \1/);
    expect(r.stdout).toMatch(/ok {3}fleet: windows from the event files are those from the raw logs/);
    // The event-dense generator: every event it wrote classified, 10–15 % of its lines.
    expect(r.stdout).toMatch(/ok {3}event-dense: kforensics found (\d+) events; the generator wrote \1/);
    expect(r.stdout).toMatch(/ok {3}event-dense log: 1\d\.\d % of its lines are events/);
    expect(r.stdout).toMatch(/ok {3}ZooKeeper: kforensics found (\d+) events; the generator wrote \1/);
    // The closing Markdown tables: every mode on each input, and the fleet's steps.
    expect(r.stdout).toMatch(/^\| `timeline --json` \| [\d.]+ s \([\d.]+× [✓✗]\), \d+ MB [✓✗], load [\d.]+ \|/m);
    expect(r.stdout).toMatch(/^\| `gap --json` on a \d+ MB dump \|/m);
    expect(r.stdout).toMatch(/^\| reduce: `report --out r\.md` over the 3 `--all` event files \| [\d.]+ s \| \d+ MB \|/m);
    expect(r.stdout).not.toContain('MISS');
  }, 400_000);
});
