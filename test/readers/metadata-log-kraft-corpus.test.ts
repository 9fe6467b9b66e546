/**
 * The Kafka 4.x logs in ../shared/corpus (outside the repo; never copied in):
 * every line accounted for, the KRaft rules fire on them, and the windows
 * pass calls the cluster KRaft. Skipped with a note when the corpus is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/read/build.js';
import { buildWindows } from '../../src/windows/build.js';
import { Zone } from '../../src/time/zone.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const kraft40 = resolve(repo, '../shared/corpus/kafka_2.13-4.0.0-kraft-ammar');
const blog41 = resolve(repo, '../shared/corpus/see-quick-blog-kafka-4.1');
const present = existsSync(kraft40) && existsSync(blog41);
if (!present) console.info(`[metadata-log-kraft-corpus.test] skipped: no Kafka 4.x corpus at ${kraft40}`);

describe.skipIf(!present)('Kafka 4.x corpus logs', () => {
  it('accounts for every line and classifies the KRaft events', async () => {
    const timeline = await buildTimeline([kraft40, blog41], { zone: new Zone('UTC'), all: false });
    const fired = new Map<string, number>();
    for await (const e of timeline.events) fired.set(e.rule!.id, (fired.get(e.rule!.id) ?? 0) + 1);
    const logs = timeline.inputs().filter((i) => i.skipped === null);
    expect(logs.length).toBeGreaterThanOrEqual(20);
    for (const i of logs) expect(i.linesRead, i.file).toBe(i.records + i.folded + i.unrecognised);
    for (const id of [
      'kafka.kraft.raft-leader', 'kafka.kraft.raft-election', 'kafka.kraft.raft-resigned', 'kafka.kraft.controller-activated',
      'kafka.kraft.broker-fenced', 'kafka.kraft.broker-unfence-granted', 'kafka.kraft.broker-unfenced', 'kafka.kraft.registration-change',
      'kafka.kraft.broker-registered', 'kafka.kraft.registration-failed', 'kafka.kraft.heartbeat-failed',
      'kafka.kraft.metadata-log-corrupt', 'kafka.kraft.metadata-log-recovered', 'kafka.kraft.partition-leader', 'kafka.kraft.partition-follower',
    ]) expect(fired.get(id) ?? 0, id).toBeGreaterThan(0);
    // 8 "Fencing broker" lines in the 4.0 controller logs (PROVENANCE/grep).
    expect(fired.get('kafka.kraft.broker-fenced')).toBe(8);
  }, 60_000);

  it('windows: the 4.0 folder is a KRaft cluster', async () => {
    const r = await buildWindows([kraft40], { zone: new Zone('UTC') });
    expect(r.doc.mode).toBe('kraft');
    expect(r.doc.windows.some((w) => w.kind === 'broker-fenced')).toBe(true);
  }, 60_000);
});
