/**
 * The gap evidence sink fed runs of unclassified records (timeline/run.ts)
 * finds what it finds with the same records pushed one by one: the hosting
 * broker's silences around each gap, the outage lines near it (an
 * unclassified line can be one: "… does not have a leader"), and the longest
 * silences of each node.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvidenceSink, type EvidenceWindow } from '../../src/analysis/evidence.js';
import type { Family } from '../../src/read/plan.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import { asRuns, TestRun } from '../helpers/event-run.js';
import { Zone } from '../../src/time/zone.js';


const families = ['broker-1', 'broker-2'].map((node) => ({ nodes: { 'kafka-broker': node, zookeeper: 'zk-1' } }) as unknown as Family);

describe('EvidenceSink: runs of unclassified records', () => {
  it('finds the same evidence, silences and last log time as with the records one by one', async () => {
    const step = fc.record({
      dt: fc.constantFrom(0, 1, 2_000, 6_000, 60_000, 700_000),
      node: fc.constantFrom('broker-1', 'broker-2'),
      message: fc.constantFrom('routine', 'Partition t-0 does not have a leader', 'x t NOT_LEADER'),
    });
    const window = fc.record({ start: fc.integer({ min: 0, max: 3_000_000 }), length: fc.integer({ min: 0, max: 900_000 }), broker: fc.constantFrom('broker-1', 'broker-2', null) });
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 80 }), fc.array(window, { maxLength: 3 }), async (steps, ws) => {
      let t = 0;
      const events: TimelineEvent[] = steps.map((x, i) => ({
        time: (t += x.dt), node: x.node, nodeKind: 'kafka-broker', file: `/nowhere/${x.node}.log`, line: i + 1,
        rule: null, category: 'unclassified', severity: 'info', message: x.message, fields: {}, continuation: [],
      }));
      const windows: EvidenceWindow[] = ws.map((w) => ({ start: w.start, end: w.start + w.length, topic: 't', partition: 0, broker: w.broker }));
      const items = asRuns(events, (run, e) => run.node === e.node);
      const one = new EvidenceSink(families, windows, 't');
      for (const e of events) one.push(e);
      const byRuns = new EvidenceSink(families, windows, 't');
      for (const item of items) {
        if (item instanceof TestRun) byRuns.pushRun(item);
        else byRuns.push(item);
      }
      const zone = new Zone('UTC');
      expect(await byRuns.finish(zone)).toEqual(await one.finish(zone));
    }), { numRuns: 1500 });
  });
});
