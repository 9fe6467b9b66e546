import type { FieldValue } from '../catalogue/fields.js';
import { ownCopy, type TimelineEvent } from '../timeline/event.js';

/**
 * Clock skew between nodes, estimated from events that happen at the same
 * moment on two machines, so that any difference in their logged times is
 * the difference of the clocks:
 *
 * - a broker completing a ZooKeeper session and the server establishing it
 *   (same session id; milliseconds apart in reality);
 * - a ZooKeeper server expiring a session and the broker's "Client session
 *   timed out" for it: each side's last contact (expiry − timeout, timed-out
 *   − idle time) is the same instant, give or take one tick (2 s by default),
 *   so these count only where nothing closer exists;
 * - cluster-wide reactions: brokers removing fetchers on the controller's
 *   LeaderAndIsr, ZooKeeper peers ending one leader election; bursts of one
 *   rule on two nodes within a few seconds of each other.
 *
 * Pure: events in, estimates out. Each node's offset is relative to the
 * reference node (the one most tied to the others); a positive offset means
 * the node's clock was ahead, and `--skew NODE=+offset` moves its times back.
 */

/** The parts of an event the estimate uses. */
export interface SkewEvent {
  time: number;
  node: string;
  rule: string;
  fields: Readonly<Record<string, FieldValue>>;
}

export interface SkewEstimate {
  node: string;
  /** This node's clock minus the reference's, in ms. */
  offsetMs: number;
  /** Matched event pairs behind the estimate (on the path to the reference). */
  pairs: number;
  /** Median absolute deviation of those pairs, ms: how far to trust the figure. */
  spreadMs: number;
  /** The node compared with directly (the reference, or a node already placed). */
  via: string;
  /** Kinds of evidence used. */
  basis: string[];
}

export interface SkewReport {
  reference: string | null;
  estimates: SkewEstimate[];
}

/** An offset at least this large (and larger than twice its spread) is worth a warning. */
export const SIGNIFICANT_SKEW_MS = 1000;

/** Session pairs: the server's and the client's line for one moment of one session. */
const SESSION_PAIRS = [
  { server: 'zk.session.established', client: 'kafka.zk.session-established', basis: 'ZooKeeper session established (server and broker)', exact: true },
  { server: 'zk.session.expired', client: 'kafka.zk.session-timeout', basis: 'ZooKeeper session expiry vs the broker\'s client timeout', exact: false },
] as const;

/** Rules every node of a kind logs at once when the cluster changes. */
const CLUSTER_RULES: Readonly<Record<string, string>> = {
  'kafka.fetcher.removed': 'fetcher removals on the controller\'s request',
  'zk.election.took': 'end of a ZooKeeper leader election',
};

/**
 * ZooKeeper expires sessions on tick boundaries (tickTime, 2 s by default),
 * up to one tick after the timeout: an expiry pair places the offset in
 * [d, d + tick]; it is centred and given half a tick of spread.
 */
const EXPIRY_TICK_MS = 2000;

/** Lines of one rule on one node less than this apart are one burst. */
const BURST_GAP_MS = 2000;
/** Bursts on two nodes further apart than this are not the same cluster change. */
const BURST_MATCH_MS = 10_000;
/** Kept anchors, to bound memory on huge inputs. */
const MAX_SESSION_EVENTS = 50_000;
const MAX_BURSTS_PER_SERIES = 5_000;

const ANCHOR_RULES = new Set<string>([...SESSION_PAIRS.flatMap((p) => [p.server, p.client]), ...Object.keys(CLUSTER_RULES)]);

/** Whether an event can anchor a skew estimate (the collector keeps only these). */
export function isSkewAnchor(rule: string | null | undefined): boolean {
  return rule != null && ANCHOR_RULES.has(rule);
}

interface Sample { a: string; b: string; d: number; exact: boolean; basis: string; sameHost?: boolean }

function num(v: FieldValue | undefined): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
}

function sessionSamples(events: Iterable<SkewEvent>): Sample[] {
  const out: Sample[] = [];
  for (const pair of SESSION_PAIRS) {
    const servers = new Map<string, SkewEvent>();
    for (const e of events) if (e.rule === pair.server && typeof e.fields.session === 'string') servers.set(e.fields.session, e);
    for (const c of events) {
      if (c.rule !== pair.client || typeof c.fields.session !== 'string') continue;
      const s = servers.get(c.fields.session);
      if (!s || s.node === c.node) continue;
      let d: number;
      if (pair.exact) {
        d = c.time - s.time;
      } else {
        const idle = num(c.fields.idleMs);
        const timeout = num(s.fields.timeoutMs);
        if (idle === undefined || timeout === undefined) continue;
        d = (c.time - idle) - (s.time - timeout) + EXPIRY_TICK_MS / 2;
      }
      out.push({ a: c.node, b: s.node, d, exact: pair.exact, basis: pair.basis });
    }
  }
  return out;
}

function burstStarts(events: Iterable<SkewEvent>): Map<string, Map<string, number[]>> {
  const byRule = new Map<string, Map<string, number[]>>();
  const last = new Map<string, number>();
  for (const e of events) {
    if (!(e.rule in CLUSTER_RULES)) continue;
    const key = `${e.rule}\0${e.node}`;
    const prev = last.get(key);
    last.set(key, e.time);
    if (prev !== undefined && e.time - prev >= 0 && e.time - prev < BURST_GAP_MS) continue;
    const nodes = byRule.get(e.rule) ?? new Map<string, number[]>();
    byRule.set(e.rule, nodes);
    const starts = nodes.get(e.node) ?? [];
    nodes.set(e.node, starts);
    if (starts.length < MAX_BURSTS_PER_SERIES) starts.push(e.time);
  }
  return byRule;
}

/** Nearest value of a sorted list to t. */
function nearest(sorted: readonly number[], t: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  const after = sorted[lo];
  const before = sorted[lo - 1];
  if (after === undefined) return before;
  if (before === undefined) return after;
  return t - before <= after - t ? before : after;
}

/**
 * The pairs [i, j] (i < j, in that order) of series with a time each at
 * most `within` apart: only they can match (a cluster of thousands of nodes
 * is not compared pair by pair).
 */
function pairsWithin(series: readonly (readonly number[])[], within: number): [number, number][] {
  const all: { t: number; s: number }[] = [];
  series.forEach((times, s) => { for (const t of times) all.push({ t, s }); });
  all.sort((x, y) => x.t - y.t);
  const pairs = new Set<number>();
  for (let k = 0; k < all.length; k++) {
    for (let m = k + 1; m < all.length && all[m]!.t - all[k]!.t <= within; m++) {
      const [i, j] = [all[k]!.s, all[m]!.s];
      if (i !== j) pairs.add(Math.min(i, j) * series.length + Math.max(i, j));
    }
  }
  return [...pairs].sort((x, y) => x - y).map((p) => [Math.floor(p / series.length), p % series.length]);
}

function burstSamples(events: Iterable<SkewEvent>): Sample[] {
  const out: Sample[] = [];
  for (const [rule, nodes] of burstStarts(events)) {
    const names = [...nodes.keys()].sort();
    for (const n of names) nodes.get(n)!.sort((x, y) => x - y);
    for (const [i, j] of pairsWithin(names.map((n) => nodes.get(n)!), BURST_MATCH_MS)) {
      {
        const a = nodes.get(names[i]!)!;
        const b = nodes.get(names[j]!)!;
        for (const ta of a) {
          const tb = nearest(b, ta);
          // Mutual nearest within the window: one cluster change seen by both.
          if (tb === undefined || Math.abs(ta - tb) > BURST_MATCH_MS || nearest(a, tb) !== ta) continue;
          out.push({ a: names[i]!, b: names[j]!, d: ta - tb, exact: true, basis: CLUSTER_RULES[rule]! });
        }
      }
    }
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Edge { d: number; pairs: number; spread: number; basis: string[]; sameHost: boolean; exact: boolean }

const SAME_HOST = 'same machine (both wrote one log file)';

/**
 * Estimates every node's clock offset from the events that must be
 * simultaneous. `sameHost` lists nodes known to share a clock (a broker and a
 * ZooKeeper writing one server.log): offset 0 between them, preferred over
 * any estimate.
 */
export function estimateSkew(events: Iterable<SkewEvent>, sameHost: readonly (readonly string[])[] = []): SkewReport {
  const samples = [...sessionSamples(events), ...burstSamples(events)];
  for (const group of sameHost) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) samples.push({ a: group[i]!, b: group[j]!, d: 0, exact: true, basis: SAME_HOST, sameHost: true });
    }
  }
  // Per unordered pair: the exact samples if any, else the loose ones.
  const grouped = new Map<string, Sample[]>();
  for (const s of samples) {
    const [a, b, d] = s.a < s.b ? [s.a, s.b, s.d] : [s.b, s.a, -s.d];
    const key = `${a}\0${b}`;
    const list = grouped.get(key) ?? [];
    list.push({ ...s, a, b, d });
    grouped.set(key, list);
  }
  const edges = new Map<string, Map<string, Edge>>();
  const link = (a: string, b: string, e: Edge): void => {
    if (!edges.has(a)) edges.set(a, new Map());
    edges.get(a)!.set(b, e);
  };
  for (const list of grouped.values()) {
    const host = list.filter((s) => s.sameHost);
    const exact = list.filter((s) => s.exact);
    const use = host.length > 0 ? host : exact.length > 0 ? exact : list;
    const ds = use.map((s) => s.d);
    const d = median(ds);
    let spread = median(ds.map((x) => Math.abs(x - d)));
    if (!use[0]!.exact) spread = Math.max(spread, EXPIRY_TICK_MS / 2);
    const basis = [...new Set(use.map((s) => s.basis))].sort();
    const { a, b } = use[0]!;
    const sameHostEdge = host.length > 0;
    const pairs = sameHostEdge ? list.length : use.length;
    const exactEdge = use[0]!.exact;
    link(a, b, { d, pairs, spread, basis, sameHost: sameHostEdge, exact: exactEdge });
    link(b, a, { d: -d, pairs, spread, basis, sameHost: sameHostEdge, exact: exactEdge });
  }
  if (edges.size === 0) return { reference: null, estimates: [] };

  const weight = (n: string): number => [...edges.get(n)!.values()].reduce((w, e) => w + e.pairs, 0);
  const nodes = [...edges.keys()].sort();
  const reference = nodes.reduce((best, n) => (weight(n) > weight(best) ? n : best), nodes[0]!);

  // Widest path first: place the node with the strongest tie to an already
  // placed one (a shared clock, then exact pairs, then the most pairs).
  const strength = (e: Edge): number => (e.sameHost ? 1e9 : 0) + (e.exact ? 1e6 : 0) + e.pairs;
  const placed = new Map<string, number>([[reference, 0]]);
  const spreads = new Map<string, number>([[reference, 0]]);
  const estimates: SkewEstimate[] = [];
  for (;;) {
    let best: { node: string; via: string; edge: Edge } | undefined;
    for (const from of placed.keys()) {
      for (const [to, edge] of edges.get(from)!) {
        if (placed.has(to)) continue;
        if (!best || strength(edge) > strength(best.edge) || (strength(edge) === strength(best.edge) && to < best.node)) best = { node: to, via: from, edge };
      }
    }
    if (!best) break;
    // edges[from][to].d is t_from − t_to, so to's offset is from's minus d.
    const offset = placed.get(best.via)! - best.edge.d;
    placed.set(best.node, offset);
    // Uncertainties add up along the path to the reference.
    const spread = spreads.get(best.via)! + best.edge.spread;
    spreads.set(best.node, spread);
    estimates.push({
      node: best.node, offsetMs: Math.round(offset), pairs: best.edge.pairs, spreadMs: Math.round(spread),
      via: best.via, basis: best.edge.basis,
    });
  }
  estimates.sort((x, y) => (x.node < y.node ? -1 : 1));
  return { reference, estimates };
}

/** Whether an estimate is large enough, and tight enough, to mention. */
export function isSignificant(e: SkewEstimate): boolean {
  return Math.abs(e.offsetMs) >= SIGNIFICANT_SKEW_MS && Math.abs(e.offsetMs) > 2 * e.spreadMs;
}

/**
 * Keeps the anchor events of a stream, bounded: feed it every classified
 * event, then call {@link estimateSkew} on `events`. Each anchor is held as
 * numbers in lists of their own (time, node and rule, the session and the
 * two durations estimateSkew reads), not as an event with its fields:
 * up to MAX_SESSION_EVENTS are kept to the end of the pass (35,000 in a
 * gibibyte of an event-dense broker log, ~200 bytes each as objects).
 */
export class SkewAnchors {
  private readonly times: number[] = [];
  /** Per anchor: its node's number in `names` times the rules' count, plus its rule's number in ANCHOR_RULE_LIST. */
  private readonly nodeRules: number[] = [];
  /** Per anchor: its session (AnchorSessions). */
  private readonly sessionIds = new AnchorSessions();
  /** Per anchor: idleMs and timeoutMs as estimateSkew reads them (num), NaN where it reads none. */
  private readonly idles: number[] = [];
  private readonly timeouts: number[] = [];
  private readonly names: string[] = [];
  private readonly nodeNumbers = new Map<string, number>();
  private sessions = 0;
  private readonly lastBurst = new Map<string, number>();
  private readonly bursts = new Map<string, number>();

  observe(e: Pick<TimelineEvent, 'time' | 'node' | 'fields'> & { rule: { id: string } | null }): void {
    const rule = e.rule?.id;
    if (!isSkewAnchor(rule)) return;
    if (rule! in CLUSTER_RULES) {
      // Only burst starts matter: drop lines inside a burst here already.
      const key = `${rule}\0${e.node}`;
      const prev = this.lastBurst.get(key);
      this.lastBurst.set(key, e.time);
      if (prev !== undefined && e.time - prev >= 0 && e.time - prev < BURST_GAP_MS) return;
      const n = this.bursts.get(key) ?? 0;
      if (n >= MAX_BURSTS_PER_SERIES) return;
      this.bursts.set(key, n + 1);
    } else if (++this.sessions > MAX_SESSION_EVENTS) {
      return;
    }
    let node = this.nodeNumbers.get(e.node);
    if (node === undefined) {
      this.nodeNumbers.set(e.node, (node = this.names.length));
      this.names.push(e.node);
    }
    const { fields } = e;
    this.times.push(e.time);
    this.nodeRules.push(node * ANCHOR_RULE_LIST.length + ANCHOR_RULE_LIST.indexOf(rule!));
    this.sessionIds.push(fields.session);
    this.idles.push(num(fields.idleMs) ?? Number.NaN);
    this.timeouts.push(num(fields.timeoutMs) ?? Number.NaN);
  }

  /**
   * The anchors kept, as events (what estimateSkew reads of their fields),
   * each made as it is reached: iterate it as often as needed.
   */
  get events(): Iterable<SkewEvent> & { readonly length: number } {
    const { times, nodeRules, sessionIds, idles, timeouts, names } = this;
    return {
      length: times.length,
      *[Symbol.iterator](): Iterator<SkewEvent> {
        for (let i = 0; i < times.length; i++) {
          const fields: Record<string, FieldValue> = {};
          const session = sessionIds.at(i);
          if (session !== undefined) fields.session = session;
          if (!Number.isNaN(idles[i]!)) fields.idleMs = idles[i]!;
          if (!Number.isNaN(timeouts[i]!)) fields.timeoutMs = timeouts[i]!;
          const nodeRule = nodeRules[i]!;
          yield { time: times[i]!, node: names[Math.floor(nodeRule / ANCHOR_RULE_LIST.length)]!, rule: ANCHOR_RULE_LIST[nodeRule % ANCHOR_RULE_LIST.length]!, fields };
        }
      },
    };
  }
}

const ANCHOR_RULE_LIST = [...ANCHOR_RULES];

/**
 * The sessions of the anchors kept, by the anchor's number, as estimateSkew
 * reads them (a string, or none). ZooKeeper's session ids (`0x` and up to 16
 * hex digits, as it prints them) are held as 64-bit numbers, 8 bytes each;
 * any other string in a string of its own (a field is a slice of the line
 * it was read from, which would be kept whole with it), by the anchor's
 * number.
 */
class AnchorSessions {
  private readonly chunks: BigUint64Array[] = [];
  /** Anchors whose session is not held as a number: their string, or undefined where estimateSkew reads none. */
  private readonly others = new Map<number, string | undefined>();
  private length = 0;

  push(session: FieldValue | undefined): void {
    const i = this.length++;
    if (i % SESSION_CHUNK === 0) this.chunks.push(new BigUint64Array(SESSION_CHUNK));
    if (typeof session === 'string' && HEX_ID.test(session)) {
      const id = BigInt(session);
      // Only where the number gives the text back as it was (no leading zero, lower case).
      if (`0x${id.toString(16)}` === session) {
        this.chunks[this.chunks.length - 1]![i % SESSION_CHUNK] = id;
        return;
      }
    }
    this.others.set(i, typeof session === 'string' ? ownCopy(session) : undefined);
  }

  at(i: number): string | undefined {
    if (this.others.has(i)) return this.others.get(i);
    return `0x${this.chunks[Math.floor(i / SESSION_CHUNK)]![i % SESSION_CHUNK]!.toString(16)}`;
  }
}

const SESSION_CHUNK = 4096;
const HEX_ID = /^0x[0-9a-f]{1,16}$/;

/** `+2.5s`, `-800ms`, `1m`, `2` (seconds) → ms; NaN when it is not a signed duration. */
export function parseSkewOffset(text: string): number {
  const m = /^\s*([+-]?)(\d{1,9}(?:\.\d{1,6})?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) return Number.NaN;
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[3] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  return (m[1] === '-' ? -1 : 1) * Math.round(Number(m[2]) * scale);
}

/** `NODE=+2.5s` flags → node → ms; throws with a usage message on a malformed one. */
export function parseSkewFlags(values: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    const node = eq > 0 ? v.slice(0, eq).trim() : '';
    const ms = eq > 0 ? parseSkewOffset(v.slice(eq + 1)) : Number.NaN;
    if (node === '' || Number.isNaN(ms)) {
      throw new Error(`--skew "${v}" is not NODE=OFFSET. Use the node name and how far its clock was ahead, e.g. --skew broker-2=+2.5s or --skew zk-1=-800ms.`);
    }
    out.set(node, ms);
  }
  return out;
}

/** `+2.5s`, `-800ms`: an offset as the user would type it back into --skew. */
export function formatSkew(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  return a >= 1000 ? `${sign}${+(a / 1000).toFixed(3)}s` : `${sign}${a}ms`;
}
