/**
 * Windows the pass is done with are spooled to a temporary file and read
 * back in order (spool.ts): what the engine finds must be exactly what it
 * finds holding every window, on an event-dense log (thousands of windows of
 * every kind the spool takes, truncations told twice, failovers), with the
 * spool in a file and, where no file can be made, in memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/read/build.js';
import { drain } from '../../src/timeline/sink.js';
import { toWindowJson } from '../../src/windows/build.js';
import { WindowEngine, windowSpool, type Window } from '../../src/windows/engine.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';
import { tempDir } from '../helpers/tmp.js';

const zone = new Zone('UTC');
const dir = tempDir('kforensics-spool-');
const log = join(dir.root, 'server.log');
const gen = spawnSync(process.execPath, ['--input-type=module', '-e',
  `import { writeDenseLog } from ${JSON.stringify(join(REPO, 'scripts/bench/dense-log.mjs'))}; await writeDenseLog(${JSON.stringify(log)}, 3 << 20);`], { encoding: 'utf8' });

const json = (windows: Iterable<Window>) => Array.from(windows, (w) => toWindowJson(w, zone));

/**
 * The windows of the log found by an engine holding them all, and by one with a spool (and how many it spooled);
 * `order`: the spool's runs of keys (tiny: many runs, merged during the pass and when read).
 */
async function both(order?: { run: number; fanIn: number }): Promise<{ held: unknown[]; spooled: unknown[]; count: number; falseAlarms: [unknown, unknown] }> {
  const spool = windowSpool(order);
  const engines = [new WindowEngine(), new WindowEngine(undefined, spool)];
  const timeline = await buildTimeline([log], { zone, all: true, light: true });
  await drain(timeline.eventBatches, engines);
  const list = engines[1]!.finishList();
  const spooled = json(list);
  // A second pass over the list reads the same again.
  expect(json(list)).toEqual(spooled);
  expect(list.length).toBe(spooled.length);
  return { held: json(engines[0]!.finish()), spooled, count: spool.size, falseAlarms: [engines[0]!.falseAlarms, engines[1]!.falseAlarms] };
}

describe('the windows spool', () => {
  const tmp = process.env.TMPDIR;
  afterEach(() => {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  });

  it('gives the windows of an event-dense log as holding them all does', async () => {
    expect(gen.status, gen.stderr).toBe(0);
    const { held, spooled, count, falseAlarms } = await both();
    expect(held.length).toBeGreaterThan(100);
    expect(count).toBeGreaterThan(held.length / 2);
    expect(spooled).toEqual(held);
    expect(falseAlarms[1]).toEqual(falseAlarms[0]);
    const kinds = new Set(held.map((w) => (w as { kind: string }).kind));
    for (const k of ['two-leaders', 'under-replicated', 'partition-offline', 'controller-unavailable', 'partition-leaderless']) expect(kinds).toContain(k);
  });

  it('gives the same with the order\'s keys in runs of a few, merged a few at a time', async () => {
    const { held, spooled, count } = await both({ run: 7, fanIn: 3 });
    expect(count).toBeGreaterThan(100);
    expect(spooled).toEqual(held);
  });

  it('parks broker windows as soon as the pass moves on, reads them back for look-ups and the steps after the pass, and finds the same', async () => {
    // parkAfterMs 0: every closed broker window leaves memory at the next line; a truncation, a late expiry, a thaw line reads it back.
    // Runs of a few keys: parked windows read back (dropped from the spool) and parked again are in runs merged before.
    const spool = windowSpool({ run: 5, fanIn: 4 });
    const unparked = windowSpool();
    const engines = [new WindowEngine(), new WindowEngine(undefined, spool, { parkAfterMs: 0 }), new WindowEngine(undefined, unparked)];
    const timeline = await buildTimeline([log], { zone, all: true, light: true });
    await drain(timeline.eventBatches, engines);
    const held = json(engines[0]!.finish());
    const list = engines[1]!.finishList();
    engines[2]!.finishList();
    // Broker windows were spooled besides those any spool takes (the log spans minutes: none by the default).
    expect(spool.size).toBeGreaterThan(unparked.size);
    const parked = json(list);
    expect(parked).toEqual(held);
    expect(json(list)).toEqual(parked);
    expect(list.length).toBe(held.length);
    const kinds = new Set(held.map((w) => (w as { kind: string }).kind));
    for (const k of ['isolated', 'broker-down', 'controller-unavailable', 'partition-leaderless', 'two-leaders']) expect(kinds).toContain(k);
  });

  it('holds the spooled windows in memory where no temporary file can be made', async () => {
    process.env.TMPDIR = join(dir.root, 'no-such-dir');
    const { held, spooled, count } = await both();
    expect(count).toBeGreaterThan(0);
    expect(spooled).toEqual(held);
  });
});

describe('the windows spool on a disk that fills up', () => {
  // The spool's file opened again read-only (Linux's /proc): every write from then on fails as on a full disk.
  it.skipIf(!existsSync('/proc/self/fd'))('holds what the file could not take in memory, and reads back the rest from the file', async () => {
    const bigger = join(dir.root, 'bigger.log');
    const made = spawnSync(process.execPath, ['--input-type=module', '-e',
      `import { writeDenseLog } from ${JSON.stringify(join(REPO, 'scripts/bench/dense-log.mjs'))}; await writeDenseLog(${JSON.stringify(bigger)}, 12 << 20);`], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const spool = windowSpool();
    const engines = [new WindowEngine(), new WindowEngine(undefined, spool)];
    const timeline = await buildTimeline([bigger], { zone, all: true, light: true });
    // Its two files (the windows' heads, the lines they cite), each once it holds something.
    const files = [spool.bytes, spool.lines] as unknown as { fd: number; inFile: number; failed: boolean }[];
    const full = new Set<number>();
    await drain(timeline.eventBatches, [...engines, {
      push: () => {
        files.forEach((inside, k) => {
          if (full.has(k) || inside.inFile === 0) return;
          full.add(k);
          inside.fd = openSync(`/proc/self/fd/${inside.fd}`, 'r');
        });
      },
    }]);
    // The lines at least (most of the bytes).
    expect(full.has(1)).toBe(true);
    expect(json(engines[1]!.finishList())).toEqual(json(engines[0]!.finish()));
    for (const k of full) expect(files[k]!.failed).toBe(true);
  });
});
