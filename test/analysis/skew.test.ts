import { describe, expect, it } from 'vitest';
import {
  estimateSkew, formatSkew, isSignificant, parseSkewFlags, parseSkewOffset, SkewAnchors, type SkewEvent,
} from '../../src/analysis/skew.js';

const T0 = Date.UTC(2024, 1, 23, 7, 40);
const ev = (node: string, rule: string, time: number, fields: SkewEvent['fields'] = {}): SkewEvent => ({ node, rule, time, fields });

/** Three leader changes seen by every broker, each broker's clock off by `skew[node]`. */
function fetcherBursts(skew: Record<string, number>): SkewEvent[] {
  const out: SkewEvent[] = [];
  for (const change of [0, 120_000, 400_000]) {
    for (const [node, off] of Object.entries(skew)) {
      // A burst: 30 removals within 300 ms; only its start matters.
      for (let i = 0; i < 30; i++) out.push(ev(node, 'kafka.fetcher.removed', T0 + change + off + i * 10 + (node.charCodeAt(7) % 3)));
    }
  }
  return out;
}

describe('estimateSkew', () => {
  it('finds a broker 2.5 s ahead from the fetcher removals of one leader change on every broker', () => {
    const report = estimateSkew(fetcherBursts({ 'broker-1': 0, 'broker-2': 2500, 'broker-3': 0 }));
    const byNode = new Map(report.estimates.map((e) => [e.node, e]));
    const offset = (n: string) => (n === report.reference ? 0 : byNode.get(n)!.offsetMs);
    expect(Math.abs(offset('broker-2') - offset('broker-1') - 2500)).toBeLessThanOrEqual(5);
    expect(Math.abs(offset('broker-3') - offset('broker-1'))).toBeLessThanOrEqual(5);
    expect(report.reference).not.toBe('broker-2');
    expect(isSignificant(byNode.get('broker-2')!)).toBe(true);
    expect(byNode.get('broker-2')!.basis).toEqual(["fetcher removals on the controller's request"]);
  });

  it('pairs a session established on the server with the broker completing it, whatever the distance', () => {
    const events = [
      ev('zk-1', 'zk.session.established', T0, { session: '0x1512b1d2a3c0000', timeoutMs: 6000 }),
      ev('broker-1', 'kafka.zk.session-established', T0 + 3_600_000 + 4, { session: '0x1512b1d2a3c0000', timeoutMs: 6000 }),
      ev('zk-1', 'zk.session.established', T0 + 9000, { session: '0x1512b1d2a3c0001' }),
      ev('broker-2', 'kafka.zk.session-established', T0 + 9003, { session: '0x1512b1d2a3c0001' }),
    ];
    const report = estimateSkew(events);
    expect(report.reference).toBe('zk-1');
    expect(report.estimates).toEqual([
      expect.objectContaining({ node: 'broker-1', offsetMs: 3_600_004, pairs: 1 }),
      expect.objectContaining({ node: 'broker-2', offsetMs: 3 }),
    ]);
  });

  it('uses a session expiry against the client timeout as a loose estimate, centred on the tick and with its spread', () => {
    // Last contact at T0 on both clocks: the client says so after 4000 ms idle,
    // the server expires 6000 ms + up to a tick later.
    const events = [
      ev('zk-3', 'zk.session.expired', T0 + 6000 + 1200, { session: '0x100000e95480003', timeoutMs: 6000 }),
      ev('broker-1', 'kafka.zk.session-timeout', T0 + 4000, { session: '0x100000e95480003', idleMs: 4000 }),
    ];
    const [e] = estimateSkew(events).estimates;
    expect(e!.spreadMs).toBeGreaterThanOrEqual(1000);
    expect(Math.abs(e!.offsetMs)).toBeLessThanOrEqual(1000);
    expect(isSignificant(e!)).toBe(false);
  });

  it('takes nodes that wrote one file as one clock, before any estimate', () => {
    const events = fetcherBursts({ 'broker-1': 0, 'broker-2': 2500 });
    const report = estimateSkew(events, [['broker-2', 'zk-2']]);
    const zk2 = report.estimates.find((e) => e.node === 'zk-2')!;
    const b2 = report.reference === 'broker-2' ? 0 : report.estimates.find((e) => e.node === 'broker-2')!.offsetMs;
    expect(zk2.offsetMs).toBe(b2);
    expect(zk2.basis).toEqual(['same machine (both wrote one log file)']);
  });

  it('reports nothing when no events pair up, and ignores bursts too far apart to be one change', () => {
    expect(estimateSkew([])).toEqual({ reference: null, estimates: [] });
    expect(estimateSkew([ev('broker-1', 'kafka.fetcher.removed', T0), ev('broker-2', 'kafka.fetcher.removed', T0 + 60_000)]).estimates).toEqual([]);
  });

  it('collects burst starts only, in bounded memory', () => {
    const anchors = new SkewAnchors();
    for (const e of fetcherBursts({ 'broker-1': 0, 'broker-2': 0 })) anchors.observe({ ...e, rule: { id: e.rule } });
    anchors.observe({ time: T0, node: 'broker-1', fields: {}, rule: { id: 'kafka.isr.shrink' } });
    anchors.observe({ time: T0, node: 'broker-1', fields: {}, rule: null });
    expect(anchors.events).toHaveLength(6);
  });

  it('gives back each anchor kept as it read it: its time, node, rule, session and the durations estimateSkew reads', () => {
    const fed = [
      ev('zk-1', 'zk.session.established', T0, { session: '0x1512b1d2a3c0000', timeoutMs: 6000, other: 'x' }),
      // Held as a number only where the number gives its text back: not with a leading zero, nor upper case, nor past 64 bits.
      ev('broker-1', 'kafka.zk.session-established', T0 + 1, { session: '0x01512b1d2a3c0000', timeoutMs: '6000' }),
      ev('broker-1', 'kafka.zk.session-timeout', T0 + 2, { session: '0x1512B1D2A3C0000', idleMs: 4000 }),
      ev('broker-2', 'kafka.zk.session-timeout', T0 + 3, { session: '0x1ffffffffffffffff', idleMs: 'n/a' }),
      ev('zk-2', 'zk.session.expired', T0 + 4, { session: '0xffffffffffffffff', timeoutMs: 0 }),
      ev('zk-2', 'zk.session.expired', T0 + 5, { session: '0x0' }),
      ev('zk-2', 'zk.session.expired', T0 + 6, { session: 17, timeoutMs: [5] }),
      ev('zk-2', 'zk.session.expired', T0 + 7, { session: ['0x1'] }),
      ev('broker-3', 'kafka.fetcher.removed', T0 + 8),
    ];
    const anchors = new SkewAnchors();
    for (const e of fed) anchors.observe({ ...e, rule: { id: e.rule } });
    const read = (f: SkewEvent['fields']): SkewEvent['fields'] => ({
      ...(typeof f.session === 'string' && { session: f.session }),
      ...(typeof f.idleMs === 'number' && { idleMs: f.idleMs }),
      ...(f.idleMs === '4000' && { idleMs: 4000 }),
      ...(typeof f.timeoutMs === 'number' && { timeoutMs: f.timeoutMs }),
      ...(f.timeoutMs === '6000' && { timeoutMs: 6000 }),
    });
    expect([...anchors.events]).toEqual(fed.map((e) => ({ ...e, fields: read(e.fields) })));
    // Read as often as asked for.
    expect([...anchors.events]).toHaveLength(fed.length);
  });
});

describe('--skew values', () => {
  it.each([['+2.5s', 2500], ['-800ms', -800], ['2', 2000], ['1m', 60_000], ['+0.25 s', 250]])('%s → %d ms', (text, ms) => {
    expect(parseSkewOffset(text)).toBe(ms);
  });

  it('parses NODE=OFFSET and says what a good one looks like otherwise', () => {
    expect([...parseSkewFlags(['broker-2=+2.5s', 'zk-1=-800ms'])]).toEqual([['broker-2', 2500], ['zk-1', -800]]);
    expect(() => parseSkewFlags(['broker-2'])).toThrow(/--skew broker-2=\+2\.5s/);
    expect(() => parseSkewFlags(['broker-2=fast'])).toThrow(/NODE=OFFSET/);
  });

  it('formats an offset the way --skew takes it back', () => {
    expect(formatSkew(2500)).toBe('+2.5s');
    expect(formatSkew(-800)).toBe('-800ms');
    expect(parseSkewOffset(formatSkew(-12_345))).toBe(-12_345);
  });
});
