/**
 * Windows on the byte path: records no rule classifies reach the window
 * engine as light events (read/light.ts), their text read back from the
 * file only when a window cites it. Everything the windows commands print
 * must be exactly what the string path (every record decoded, the
 * reference) gives: on the fixtures, the recordings and the corpus
 * (../shared, read in place, skipped with a message when absent), and on
 * random folders of several nodes whose lines tie to the millisecond, come
 * out of order, are written twice through two appenders, and hold session
 * expiries and silences.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWindows } from '../../src/windows/build.js';
import { buildTimeline } from '../../src/read/build.js';
import { buildReport } from '../../src/report/report-data.js';
import { LightEvent, LightRun } from '../../src/read/light.js';
import { eventsOf } from '../../src/timeline/run.js';
import { familyEvents } from '../../src/read/read.js';
import type { Family, PlannedFile } from '../../src/read/plan.js';
import { defaultClassifier } from '../../src/catalogue/index.js';
import { StartupConfigScan } from '../../src/readers/startup-config.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { Zone } from '../../src/time/zone.js';
import { REPO } from '../commands/run-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { PARAMS, RUNS } from '../property/arbitraries.js';
import { log4jTime, seeded } from '../../scripts/bench/random.mjs';

const zone = new Zone('UTC');

/** Everything buildWindows returns, as text, read with light events or by the string path. */
async function windowsText(paths: readonly string[], light: boolean): Promise<string> {
  const r = await buildWindows(paths, { zone, light });
  return JSON.stringify({ doc: r.doc, inputs: r.inputs, skew: r.skew, clockChanges: r.clockChanges, clockNotes: r.clockNotes, missing: r.missing }, null, 1);
}

/** Compares the two readings; returns how many windows and false alarms they found. */
async function expectSameWindows(paths: readonly string[]): Promise<number> {
  const reference = await windowsText(paths, false);
  expect(await windowsText(paths, true)).toBe(reference);
  const doc = (JSON.parse(reference) as { doc: { windows: unknown[]; falseAlarms: unknown[] } }).doc;
  return doc.windows.length + doc.falseAlarms.length;
}

async function expectSameReport(dir: string): Promise<void> {
  const light = await buildReport([dir], { zone, generatedAt: 'x' });
  const reference = await buildReport([dir], { zone, generatedAt: 'x', light: false });
  expect(JSON.stringify(light.report, null, 1)).toBe(JSON.stringify(reference.report, null, 1));
}

const FIXTURES = join(REPO, 'fixtures');
const fixtureRuns = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'expected.windows.json'))).map((d) => join(FIXTURES, d));

describe('windows with light events = windows by the string path', () => {
  it('finds the fixtures', () => expect(fixtureRuns.length).toBeGreaterThanOrEqual(3));

  it.each(fixtureRuns)('%s', async (dir) => {
    await expectSameWindows([dir]);
  }, 60_000);

  it('the light path is taken: a plain file\'s unclassified records are light events, their text read back', async () => {
    const dir = fixtureRuns[0]!;
    const timeline = await buildTimeline([dir], { zone, all: true, light: true });
    const reference = await buildTimeline([dir], { zone, all: true });
    const light: LightEvent[] = [];
    const all: TimelineEvent[] = [];
    let runs = 0;
    for await (const batch of timeline.eventBatches) for (const item of batch) {
      if (item instanceof LightRun) runs++;
      for (const e of eventsOf(item)) {
        if (e instanceof LightEvent) light.push(e);
        all.push(e);
      }
    }
    const ref: TimelineEvent[] = [];
    for await (const batch of reference.eventBatches) for (const item of batch) ref.push(...eventsOf(item));
    expect(light.length).toBeGreaterThan(0);
    // Consecutive light records of a node come as runs.
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThan(light.length);
    expect(ref.some((e) => e instanceof LightEvent)).toBe(false);
    // The same events in the same order, text and all.
    const shape = (e: (typeof ref)[number]) => [e.time, e.node, e.nodeKind, e.file, e.line, e.rule?.id ?? null, e.category, e.severity, e.message, e.level, e.logger, e.continuation, e.fields];
    expect(all.map(shape)).toEqual(ref.map(shape));
  }, 60_000);

  it.each(fixtureRuns)('report of %s', async (dir) => {
    await expectSameReport(dir);
  }, 60_000);
});

// KF_SHARED: where shared/ is when it is not beside the clone (a worktree elsewhere).
const SHARED = resolve(process.env.KF_SHARED ?? resolve(REPO, '../shared'));
const recordings = join(SHARED, 'recordings');
const corpus = join(SHARED, 'corpus');
const sharedPresent = existsSync(recordings) && existsSync(corpus);
if (!sharedPresent) console.warn(`[light.test] recordings and corpus skipped: ${SHARED} is absent (it lives outside the repository)`);

function runFolders(): string[] {
  if (!sharedPresent) return [];
  const runs: string[] = [];
  for (const version of readdirSync(recordings)) {
    const dir = join(recordings, version);
    if (!statSync(dir).isDirectory()) continue;
    for (const run of readdirSync(dir)) if (statSync(join(dir, run)).isDirectory()) runs.push(join(dir, run));
  }
  for (const folder of readdirSync(corpus)) if (statSync(join(corpus, folder)).isDirectory()) runs.push(join(corpus, folder));
  return runs;
}

describe.skipIf(!sharedPresent)('windows with light events = the string path on the recordings and the corpus (../shared)', () => {
  it.each(runFolders())('%s', async (dir) => {
    await expectSameWindows([dir]);
  }, 120_000);

  // The brokers' start-up configs (KafkaConfig values:) are read on the byte path too.
  it.each(runFolders().filter((d) => d.startsWith(recordings)))('report of %s', async (dir) => {
    await expectSameReport(dir);
  }, 120_000);
});

/** Record lines of the fixtures, without their timestamps: Kafka's layout (`] LEVEL …`) and ZooKeeper's (` [myid:N] - …`). */
function linePools(): { kafka: string[]; zookeeper: string[] } {
  const kafka = new Set<string>();
  const zookeeper = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.log/.test(name) && statSync(path).size < 4 << 20) {
        for (const line of readFileSync(path, 'utf8').split('\n')) {
          if (/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] [A-Z]+ .*\)$/.test(line)) kafka.add(line.slice(26));
          else if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[myid:\d+\] - [A-Z]+ /.test(line)) zookeeper.add(line.slice(23).replace(/^ \[myid:\d+\]/, ''));
        }
      }
    }
  };
  walk(FIXTURES);
  return { kafka: [...kafka].sort(), zookeeper: [...zookeeper].sort() };
}

/**
 * A folder of three brokers (server.log and controller.log each) and three
 * ZooKeeper servers, `lines` records long: fixture lines in random order,
 * times stepping by 0 ms (ties) to tens of seconds (silences, expiries
 * becoming losses or false alarms), some out of order, some written to a
 * broker's two files at once (appender twins), some with continuation lines.
 */
function randomFolder(seed: number, lines: number, pools: { kafka: string[]; zookeeper: string[] }): Map<string, string> {
  const rnd = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const files = new Map<string, string[]>();
  const add = (file: string, line: string) => {
    let list = files.get(file);
    if (!list) files.set(file, list = []);
    list.push(line);
  };
  const steps = [0, 0, 0, 1, 1, 2, 5, 40, 300, 1100, 2500, 6500, 13000, 45000];
  let t = Date.UTC(2024, 1, 23, 7, 0, 0);
  for (let i = 0; i < lines; i++) {
    t += pick(steps);
    const at = rnd() < 0.05 ? t - Math.floor(rnd() * 30) : t;
    if (rnd() < 0.35) {
      const id = 1 + Math.floor(rnd() * 3);
      add(`zk-${id}/zookeeper.log`, `${log4jTime(at)} [myid:${id}]${pick(pools.zookeeper)}`);
    } else {
      const id = 1 + Math.floor(rnd() * 3);
      const line = `[${log4jTime(at)}] ${pick(pools.kafka)}`;
      const file = rnd() < 0.8 ? 'server.log' : 'controller.log';
      add(`broker-${id}/${file}`, line);
      // The same record through a second appender.
      if (rnd() < 0.1) add(`broker-${id}/${file === 'server.log' ? 'controller.log' : 'server.log'}`, line);
      if (rnd() < 0.05) add(`broker-${id}/${file}`, '\tat kafka.server.KafkaApis.handle(KafkaApis.scala:1)');
    }
  }
  return new Map([...files].map(([f, l]) => [f, `${l.join('\n')}\n`]));
}

describe('windows with light events = the string path, a verdict falling due within a run', () => {
  // A session expiry is decided by the first record more than 10 s after it, whichever node logged it: here
  // the ZooKeeper server's own unclassified lines, one run of them, 100 ms apart for 20 s after the expiry.
  it.each([
    ['a broker\'s session: a window of the broker', '0x200000de6bd0004'],
    ['a session no broker holds: no window', '0x200000de6bd0999'],
  ])('%s', async (_, session) => {
    const tmp = tempDir('kforensics-due-');
    const dir = join(tmp.root, 'run');
    mkdirSync(join(dir, 'broker-1'), { recursive: true });
    mkdirSync(join(dir, 'zk-1'), { recursive: true });
    const t0 = Date.UTC(2024, 1, 23, 8, 0, 0);
    writeFileSync(join(dir, 'broker-1', 'server.log'), [
      `[${log4jTime(t0)}] INFO Session establishment complete on server 10.0.0.1/10.0.0.1:2181, sessionid = 0x200000de6bd0004, negotiated timeout = 6000 (org.apache.zookeeper.ClientCnxn)`,
      `[${log4jTime(t0 + 60_000)}] INFO [GroupMetadataManager brokerId=1] Removed 0 expired offsets in 0 milliseconds. (kafka.coordinator.group.GroupMetadataManager)`,
      '',
    ].join('\n'));
    const zk = [`${log4jTime(t0 + 5_000)} [myid:1] - INFO  [SessionTracker:ZooKeeperServer@632] - Expiring session ${session}, timeout of 6000ms exceeded`];
    for (let k = 1; k <= 200; k++) zk.push(`${log4jTime(t0 + 5_000 + 100 * k)} [myid:1] - INFO  [SyncThread:1:FileTxnLog@216] - Creating new log file: log.5000${k}`);
    writeFileSync(join(dir, 'zk-1', 'zookeeper.log'), `${zk.join('\n')}\n`);
    await expectSameWindows([dir]);
    const { doc } = await buildWindows([dir], { zone, light: true });
    const expired = doc.windows.filter((w) => w.node === 'broker-1');
    expect(expired.length).toBe(session.endsWith('0004') ? 1 : 0);
  });

  it('the broker\'s own lines: the verdict at the first past the deadline, its window watching the rest', async () => {
    // Here the first record past the deadline is one of the broker's, in a run of its lines 100 ms apart: from
    // it on, the window the verdict opens sees each of them (the broker was alive), as the string path has it.
    const tmp = tempDir('kforensics-due-');
    const dir = join(tmp.root, 'run');
    mkdirSync(join(dir, 'broker-1'), { recursive: true });
    mkdirSync(join(dir, 'zk-1'), { recursive: true });
    const t0 = Date.UTC(2024, 1, 23, 8, 0, 0);
    const broker = [`[${log4jTime(t0)}] INFO Session establishment complete on server 10.0.0.1/10.0.0.1:2181, sessionid = 0x200000de6bd0004, negotiated timeout = 6000 (org.apache.zookeeper.ClientCnxn)`];
    for (let k = 0; k < 200; k++) broker.push(`[${log4jTime(t0 + 6_000 + 100 * k)}] INFO [ProducerStateManager partition=orders-7] Writing producer snapshot at offset ${k} (kafka.log.ProducerStateManager)`);
    writeFileSync(join(dir, 'broker-1', 'server.log'), `${broker.join('\n')}\n`);
    writeFileSync(join(dir, 'zk-1', 'zookeeper.log'), `${log4jTime(t0 + 5_000)} [myid:1] - INFO  [SessionTracker:ZooKeeperServer@632] - Expiring session 0x200000de6bd0004, timeout of 6000ms exceeded\n`);
    expect(await expectSameWindows([dir])).toBeGreaterThan(0);
  });
});

describe('windows with light events = the string path on random folders', () => {
  const pools = linePools();
  it('has lines to draw from', () => {
    expect(pools.kafka.length).toBeGreaterThan(50);
    expect(pools.zookeeper.length).toBeGreaterThan(10);
  });

  it('gives the same windows, bounds, evidence and false alarms', async () => {
    const tmp = tempDir('kforensics-light-');
    let n = 0;
    let found = 0;
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 50, max: 600 }), async (seed, lines) => {
      const dir = process.env.KF_LIGHT_KEEP ? join(process.env.KF_LIGHT_KEEP, `case-${n++}`) : join(tmp.root, `case-${n++}`);
      for (const [file, text] of randomFolder(seed, lines, pools)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      found += await expectSameWindows([dir]);
    }), { ...PARAMS, numRuns: process.env.KF_FC_RUNS ? RUNS : 40 });
    // Folders in which nothing happens would prove nothing.
    expect(found).toBeGreaterThan(n);
  }, 300_000);
});

describe('the byte path hands a line watcher the lines it needs (start-up configs)', () => {
  it('finds the same dumps, lines and values as the line splitter, whatever the buffer size', async () => {
    const ts = (s: number) => `[2026-11-21 04:39:${String(s).padStart(2, '0')},559]`;
    const dump = (s: number, id: number) => [
      `${ts(s)} INFO KafkaConfig values:`,
      '\tadvertised.listeners = PLAINTEXT://kafka-1:9092',
      `\tbroker.id = ${id}`,
      '\tmin.insync.replicas = 2',
      '\tunclean.leader.election.enable = false\r',
    ];
    const lines = [
      `${ts(1)} INFO starting (kafka.server.KafkaServer)`,
      ...dump(2, 1),
      `${ts(3)} INFO [KafkaServer id=1] started (kafka.server.KafkaServer)`,
      `${ts(4)} INFO mentions KafkaConfig values: in passing (kafka.server.KafkaServer)`,
      ...Array.from({ length: 300 }, (_, i) => `${ts(5)} INFO routine line ${i} (kafka.log.Log)`),
      ...dump(6, 2),
      `${ts(7)} WARN a dump cut short`,
      ...dump(8, 3).slice(0, 3),
      '\tnot a value line',
      '\tlog.dirs = /data',
      ...dump(9, 4),
    ];
    const tmp = tempDir('kforensics-watch-');
    const path = tmp.write('broker-1/server.log', `${lines.join('\n')}`);
    const file: PlannedFile = { path, size: 0, kind: 'kafka-server', zookeeperServer: false, kafka: true };
    const family: Family = { key: 'broker', files: [file], nodes: { 'kafka-broker': 'broker-1', zookeeper: 'zk-1' }, defaultRole: 'kafka-broker' };
    const configs = async (textOnly: boolean, chunk?: number) => {
      const scan = new StartupConfigScan(file);
      for await (const _ of familyEvents(family, {
        zone, classifier: defaultClassifier(), all: true, light: true, keep: () => true, textOnly, onInput: () => undefined,
        watchLines: () => scan, ...(chunk !== undefined && { chunk }),
      }));
      return scan.finish().map((c) => ({ ...c, values: [...c.values] }));
    };
    const reference = await configs(true);
    expect(reference.map((c) => [c.line, c.brokerId, c.values.length])).toEqual([[2, '1', 4], [309, '2', 4], [315, '3', 2], [320, '4', 4]]);
    for (const chunk of [undefined, 4096, 1024]) expect(await configs(false, chunk)).toEqual(reference);
  });
});
