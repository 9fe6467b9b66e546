/**
 * Runs the library over the real corpus in ../shared/corpus (outside the repo;
 * its files are never copied in). Skipped with a note when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputJson } from '../src/model/timeline.js';
import { isForeignLine } from '../src/readers/assembler.js';
import { buildTimeline, type Timeline } from '../src/read/build.js';
import { Zone } from '../src/time/zone.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(repoRoot, '../shared/corpus');
const present = existsSync(resolve(corpus, 'PROVENANCE.md'));
if (!present) console.info(`[corpus.test] skipped: no corpus at ${corpus} (it lives outside the repository)`);

/**
 * Directories PROVENANCE.md describes as excerpts (issue threads, PR text,
 * blog code blocks, pastes): they start and end mid-line, so the whole-file
 * figures below do not apply to them. Their files also carry `excerpt` or
 * `block` in their names.
 */
function excerptDirs(provenance: string): Set<string> {
  const dirs = new Set<string>();
  let current: string | undefined;
  for (const line of provenance.split('\n')) {
    const h = /^## (\S+)\/\s*$/.exec(line);
    if (h) current = h[1];
    else if (current && line.startsWith('- About:') && /excerpt|code blocks|as pasted/i.test(line)) dirs.add(current);
  }
  return dirs;
}

/** Whole-file logs whose share of records + folded lines is below 99%, and why. */
const RECOGNISED_FLOOR: Record<string, { floor: number; why: string }> = {
  'parth27-kafka-trunk/kafka.log': { floor: 0.85, why: '13 SLF4J binding lines before the first record in a 95-line console capture' },
  'zk-3.4.9-alstonwilliams/zookeeper.out': { floor: 0.9, why: '4 SLF4J lines before the first record in a 50-line file' },
  'zk-3.4.9-alstonwilliams/bin_zookeeper.out': { floor: 0.95, why: '4 SLF4J lines before the first record in an 87-line file' },
  'zk-3.5.0-alpha-julyke/zookeeper.out': { floor: 0.96, why: '5 SLF4J lines before the first record in a 141-line file' },
  'pfe-anomaly-detection-kafka-3.7.2/zookeeper.log': { floor: 0.98, why: '`nohup: ignoring input` first line of a 93-line file' },
  // 16 docker entrypoint lines (before the first and the second container start) in 2,335 lines: 99.3%.
};

/** Node names the content must yield, per file (the live file and a rotated one where they differ). */
const EXPECTED_NODE: Record<string, string> = {
  'bdp3-docker-utf16/kafka.log': 'broker-1001',
  'distributed-kafka-clusters-3.1.0/controller.log': 'broker-0',
  'distributed-kafka-clusters-3.1.0/state-change.log': 'broker-0',
  'distributed-kafka-clusters-3.1.0/log-cleaner.log': 'broker-0',
  'distributed-kafka-clusters-3.1.0/server.log.2022-04-25-14': 'broker-0',
  'kafakainfo/server.log.2018-04-02-10': 'broker-1,zk@kafakainfo',
  'kafakainfo/controller.log': 'broker-1',
  'kafakainfo/zookeeper.out': 'zk@kafakainfo',
  'kafka-brokers-public-0.10.2/server.log.2020-10-08-16': 'broker-0',
  'kafka-brokers-public-0.10.2/state-change.log': 'broker-1',
  'kafka_2.13-2.4.1-sky1508/state-change.log': 'broker-0',
  'kafka_2.13-3.0.0-tuyen-nnt/server.log.2021-12-05-01': 'broker-0,zk@kafka_2.13-3.0.0-tuyen-nnt',
  'kafka_2.13-3.3.1-cookjustin/controller.log': 'broker-0',
  'kafka_2.13-4.0.0-kraft-ammar/server.log': 'broker-0',
  'kafka_2.13-4.0.0-kraft-ammar/server.log.2025-05-14-23': 'broker-10',
  'kafka_2.13-4.0.0-kraft-ammar/server.log.2025-05-17-12': 'broker-1',
  'kafka_2.13-4.0.0-kraft-ammar/controller.log.2025-05-14-22': 'broker-10',
  'kafka_2.13-4.0.0-kraft-ammar/stage-change.log.2025-05-17-12': 'broker-1',
  'kafka_2.13-4.0.0-kraft-ammar/log-cleaner.log.2025-05-14-22': 'broker-10',
  'kafka_2.13-4.0.0-kraft-ammar/kafkaServer.out': 'broker-1',
  'pfe-anomaly-detection-kafka-3.7.2/kafka.log': 'broker-0',
  'pfe-anomaly-detection-kafka-3.7.2/zookeeper.log': 'zk@pfe-anomaly-detection-kafka-3.7.2',
  'hadoop-3.0.3-ha-zk/zookeeper.out': 'zk-1',
  'hadoop-3.0.3-ha-zk/tools_zookeeper.out': 'zk-1',
};

describe.skipIf(!present)('real corpus (../shared/corpus)', () => {
  let timeline: Timeline;
  let inputs: InputJson[];
  let excerpts: Set<string>;
  const unrecognised = new Map<string, { line: number; text: string; reason: string }[]>();
  const rel = (p: string): string => relative(corpus, p);
  const isExcerpt = (file: string): boolean => excerpts.has(file.split('/')[0]!) || /excerpt|block/.test(basename(file));

  beforeAll(async () => {
    excerpts = excerptDirs(readFileSync(resolve(corpus, 'PROVENANCE.md'), 'utf8'));
    timeline = await buildTimeline([corpus], {
      zone: new Zone('UTC'),
      all: true,
      onUnrecognised: (file, line, text, reason) => {
        const list = unrecognised.get(rel(file)) ?? [];
        list.push({ line, text, reason });
        unrecognised.set(rel(file), list);
      },
    });
    let events = 0;
    for await (const _ of timeline.events) events++;
    inputs = timeline.inputs();
    expect(events).toBeGreaterThan(0);
  });

  it('PROVENANCE.md marks the excerpt directories', () => {
    expect([...excerpts].sort()).toEqual(expect.arrayContaining(['github-issue-excerpts', 'apache-kafka-pr-excerpts', 'see-quick-blog-kafka-4.1', 'strimzi-blog']));
  });

  it('reads every input without an error, and accounts for every line', () => {
    expect(inputs.length).toBeGreaterThan(200);
    for (const i of inputs) {
      expect(i.error, rel(i.file)).toBeNull();
      expect(i.linesRead, rel(i.file)).toBe(i.records + i.folded + i.unrecognised);
      expect(i.badTimestamps, rel(i.file)).toBeLessThanOrEqual(i.unrecognised);
    }
  });

  it('parses ≥ 99% of record-shaped timestamps and recognises (records + folded) nearly every line of whole-file logs', () => {
    const logs = inputs.filter((i) => i.skipped === null && !isExcerpt(rel(i.file)));
    expect(logs.length).toBeGreaterThan(150);
    for (const i of logs) {
      const file = rel(i.file);
      expect(i.records, file).toBeGreaterThan(0);
      expect(i.records / (i.records + i.badTimestamps), file).toBeGreaterThanOrEqual(0.99);
      const floor = RECOGNISED_FLOOR[file]?.floor ?? 0.99;
      expect((i.records + i.folded) / i.linesRead, `${file}: ${RECOGNISED_FLOOR[file]?.why ?? ''}`).toBeGreaterThanOrEqual(floor);
      // What is left unrecognised in a whole file is other writers' noise, never a log line.
      for (const u of unrecognised.get(file) ?? []) expect(isForeignLine(u.text), `${file}:${u.line} ${u.text.slice(0, 80)}`).toBe(true);
    }
  });

  it('reads the UTF-16LE docker captures', () => {
    const k = inputs.find((i) => rel(i.file) === 'bdp3-docker-utf16/kafka.log')!;
    const z = inputs.find((i) => rel(i.file) === 'bdp3-docker-utf16/zookeeper.log')!;
    expect(k).toMatchObject({ kind: 'kafka-server', skipped: null, linesRead: 2335 });
    expect(z).toMatchObject({ kind: 'zookeeper-native', skipped: null, linesRead: 139, records: 139 });
  });

  it('sniffs every kind of file that is in the corpus', () => {
    const kindOf = (f: string): string | undefined => inputs.find((i) => rel(i.file) === f)?.kind;
    expect(kindOf('loghub/Zookeeper_2k.log')).toBe('zookeeper-native');
    expect(kindOf('kafakainfo/zookeeper.out')).toBe('zookeeper-kafka-layout');
    expect(kindOf('distributed-kafka-clusters-3.1.0/controller.log.2022-03-31-07')).toBe('kafka-controller');
    expect(kindOf('kafka_2.13-4.0.0-kraft-ammar/stage-change.log.2025-05-14-23')).toBe('kafka-state-change');
    expect(kindOf('kafka_2.13-4.0.0-kraft-ammar/controller.log')).toBe('kafka-controller');
    expect(kindOf('strimzi-blog/2021-12-17-kafka-segment-retention.block-log-dump.txt')).toBe('dump-log-segments');
    expect(kindOf('topics-describe-excerpts/wj9527-notes-kafka-weihu.describe-excerpt.txt')).toBe('topics-describe');
  });

  it('skips files that are not logs with a reason, or takes them as properties', () => {
    const notLogs = inputs.filter((i) => /gc\.log|LICENSE|README|\.cfg$|PROVENANCE\.md$/.test(basename(i.file)));
    expect(notLogs.length).toBeGreaterThan(30);
    for (const i of notLogs) {
      if (i.kind === 'properties') continue;
      expect(i.kind, rel(i.file)).toBe('unknown');
      expect(i.skipped, rel(i.file)).toMatch(/no known layout|empty|binary/);
    }
  });

  it('names the node behind each log from its content', () => {
    const nodeOf = new Map(inputs.map((i) => [rel(i.file), i.node]));
    for (const [file, node] of Object.entries(EXPECTED_NODE)) expect(nodeOf.get(file), file).toBe(node);
  });

  it('marks logs written by several processes', () => {
    const shared = timeline.plan.families.filter((f) => f.sharedWith);
    const keys = shared.map((f) => rel(f.key));
    expect(keys).toEqual(expect.arrayContaining(['zookeeper-script-3.4.6/zookeeper.out', 'zk-3.4.9-alstonwilliams/zookeeper.log']));
  });
});
