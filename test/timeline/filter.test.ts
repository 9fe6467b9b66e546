import { describe, expect, it } from 'vitest';
import { eventFilter } from '../../src/timeline/filter.js';
import type { TimelineEvent } from '../../src/timeline/event.js';

function ev(over: Partial<TimelineEvent>): TimelineEvent {
  return {
    time: 1000, node: 'broker-1', nodeKind: 'kafka-broker', file: 'f', line: 1, rule: null,
    category: 'replication', severity: 'info', message: '', fields: {}, continuation: [], ...over,
  };
}

describe('eventFilter', () => {
  it('matches a topic through partition fields, not a prefix of another topic', () => {
    const keep = eventFilter({ topics: ['account_event'] });
    expect(keep(ev({ fields: { partitions: ['__consumer_offsets-3', 'account_event-0'] } }))).toBe(true);
    expect(keep(ev({ fields: { partition: 'account_event-12' } }))).toBe(true);
    expect(keep(ev({ fields: { partitions: ['account_event_v2-0'] } }))).toBe(false);
    expect(keep(ev({ fields: {} }))).toBe(false);
  });

  it('applies time bounds inclusively', () => {
    const keep = eventFilter({ since: 1000, until: 2000 });
    expect([999, 1000, 2000, 2001].map((time) => keep(ev({ time })))).toEqual([false, true, true, false]);
  });

  it('filters by node, category and minimum severity', () => {
    const keep = eventFilter({ nodes: ['zk-1'], categories: ['zk-quorum'], minSeverity: 'warn' });
    expect(keep(ev({ node: 'zk-1', category: 'zk-quorum', severity: 'error' }))).toBe(true);
    expect(keep(ev({ node: 'zk-1', category: 'zk-quorum', severity: 'info' }))).toBe(false);
    expect(keep(ev({ node: 'zk-2', category: 'zk-quorum', severity: 'error' }))).toBe(false);
    expect(keep(ev({ node: 'zk-1', category: 'isr', severity: 'error' }))).toBe(false);
  });
});
