import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGaps, DEFAULTS, readTopicDumps, topicReport } from '../../src/analysis/gap.js';
import { planInputs } from '../../src/read/plan.js';
import { Zone } from '../../src/time/zone.js';
import { tempDir } from '../helpers/tmp.js';
import { REPO } from '../commands/run-cli.js';

// Several topics' gaps from one read of each dump (what sql does): each topic's
// document is the one the gap analysis of that topic alone gives.
const dir = tempDir('kforensics-gap-topics-');
copyFileSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/dump-account_event-0.txt'), join(dir.root, 'dump-account_event-0.txt'));
// The same records as another topic's partition 3, in a file of its own, and both topics' sections in one file.
const fixture = readFileSync(join(REPO, 'fixtures/account-event-2022-10-05/broker-1/dump-account_event-0.txt'), 'utf8');
const other = fixture.replace('Dumping ../kafka-logs/account_event-0/', 'Dumping ../kafka-logs/payments-3/');
dir.write('dump-payments-3.txt', other);
dir.write('both/dump-both.txt', `${fixture.replace('account_event-0/', 'account_event-1/')}${other.replace('payments-3/', 'payments-4/')}`);
const options = { zone: new Zone('Asia/Seoul'), ...DEFAULTS };

describe('gaps of several topics from one read of the dumps', () => {
  for (const topics of [null, ['payments', 'account_event']] as const) {
    it(`topics ${JSON.stringify(topics)}: each as the topic's own gap analysis gives it`, async () => {
      const plan = await planInputs([dir.root], { nodeMap: [], followSymlinks: false, layouts: [] });
      const read = await readTopicDumps(plan, [dir.root], topics, options);
      // Every topic a log segment's dump names, in topic order.
      expect(read.map((t) => t.topic)).toEqual(['account_event', 'payments']);
      for (const t of read) {
        const alone = (await analyzeGaps([dir.root], { ...options, topic: t.topic })).report;
        const together = await topicReport(t, plan, null, [], options);
        expect(together.partitions.map((p) => [p.partition, p.records, p.gaps.length])).toEqual([[0, 400, 1], [1, 400, 1]].map(([p, r, g]) => [t.topic === 'payments' ? p! + 3 : p, r, g]));
        expect(together).toEqual(alone);
      }
    });
  }
});
