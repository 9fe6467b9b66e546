// End to end against a real ZooKeeper ensemble (Debian's `zookeeper` package):
// scripts/e2e/zk-scenario.mjs starts three servers on 127.0.0.1 with three
// broker-like sessions, injects faults and writes down when it did what; this
// file checks first that the harness did what it says (on the raw logs), then
// that `kforensics windows` finds every fault on the right node with edges
// within 2 s.
//
// Runs in `npm run test:e2e` and in `npm test` when ZooKeeper is installed;
// skipped, saying so, when it is not. KF_E2E=0 turns it off; KF_E2E_KEEP=DIR
// keeps a copy of the run's logs and ground truth in DIR.

import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../commands/run-cli.js';
import {
  availability, fault, iso, killScenario, readServerLog, runScenario,
  type Fault, type GroundTruth, type LogLine,
} from './harness.js';

const avail = availability();
const SKIP_MESSAGE = avail.reason === null ? '' : `e2e: ${avail.reason}; skipped`;
if (!avail.ok) console.warn(SKIP_MESSAGE);

const TOLERANCE_MS = 2000;

// ------------------------------------------------------------ the windows contract (kforensics/windows/v1)

interface Evidence { file: string; line: number; time: string | null; rule: string | null; text: string }
interface Bounds { earliest: string; latest: string }
interface Window {
  kind: 'broker-down' | 'zk-node-down' | 'zk-node-unreachable' | 'zk-stale-leader' | 'zk-quorum-lost' | 'partition-offline' | 'under-replicated' | 'isolated';
  node?: string;
  topic?: string;
  partition?: number;
  start: string;
  end: string | null;
  startBounds: Bounds | null;
  endBounds: Bounds | null;
  startSource?: { how: string; evidence: Evidence | null };
  endSource?: { how: string; evidence: Evidence | null };
  durationMs: number | null;
  confidence: string;
  evidence: Evidence[];
}
interface WindowsDoc { schema: string; timeZone: string; windows: Window[]; falseAlarms: Evidence[] }

const ms = (isoTime: string): number => {
  const t = Date.parse(isoTime);
  if (Number.isNaN(t)) throw new Error(`not an ISO time: ${isoTime}`);
  return t;
};
const endMs = (w: Window): number => (w.end === null ? Number.POSITIVE_INFINITY : ms(w.end));
const show = (w: Window): string => `${w.kind} ${w.node ?? ''}${w.topic ? ` ${w.topic}-${w.partition}` : ''} ${w.start} → ${w.end}`;

/** Asserts that `actual` lies in [lo − 2 s, hi + 2 s]: the true edge is somewhere in [lo, hi]. */
function expectEdge(label: string, actual: string | null, lo: number, hi: number): void {
  expect(actual, `${label} is missing`).not.toBeNull();
  const t = ms(actual!);
  const where = lo === hi ? `within 2 s of ${iso(lo)}` : `within 2 s of [${iso(lo)}, ${iso(hi)}]`;
  expect(t >= lo - TOLERANCE_MS && t <= hi + TOLERANCE_MS, `${label} ${actual} should be ${where}`).toBe(true);
}

// ------------------------------------------------------------ the suite

describe.skipIf(!avail.ok)('e2e: a real 3-node ZooKeeper ensemble with injected faults', () => {
  let out = '';
  let pid: number | undefined;
  let truth: GroundTruth;
  let anyFailed = false;
  const logs = new Map<string, LogLine[]>();

  const log = (node: string): LogLine[] => {
    const l = logs.get(node);
    if (!l) throw new Error(`no log for ${node}`);
    return l;
  };
  const records = (node: string, from: number, to = Number.POSITIVE_INFINITY, re?: RegExp): LogLine[] =>
    log(node).filter((l) => l.t !== null && l.t >= from && l.t <= to && (!re || re.test(l.text)));
  const first = (nodes: string[], from: number, re: RegExp): LogLine | null =>
    nodes.flatMap((n) => records(n, from, Number.POSITIVE_INFINITY, re)).sort((a, b) => a.t! - b.t!)[0] ?? null;
  const names = (): string[] => truth.nodes.map((n) => n.name);

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'kf-e2e-'));
    const r = runScenario(out);
    pid = r.pid;
    const run = await r.done;
    if (run.status !== 0 || !run.truth) {
      anyFailed = true;
      throw new Error(`the scenario failed (exit ${run.status}, signal ${run.signal}); its files are in ${out}\n${run.stderr.slice(-6000)}`);
    }
    truth = run.truth;
    for (const n of truth.nodes) logs.set(n.name, readServerLog(out, n.name));
  }, 300_000);

  beforeEach(({ onTestFailed }) => onTestFailed(() => { anyFailed = true; }));

  afterAll(() => {
    if (!out) return;
    killScenario(pid, out);
    const keep = process.env.KF_E2E_KEEP;
    if (keep) {
      // Replace only an empty folder or an earlier run's copy, never anything else.
      const earlierRun = existsSync(join(keep, 'ground-truth.json'));
      if (existsSync(keep) && !earlierRun && readdirSync(keep).length > 0) {
        console.warn(`e2e: KF_E2E_KEEP=${keep} is not empty and holds no earlier run; not copying`);
      } else {
        rmSync(keep, { recursive: true, force: true });
        cpSync(out, keep, { recursive: true });
        console.info(`e2e: this run's logs and ground truth are kept in ${keep}`);
      }
    }
    if (anyFailed) console.warn(`e2e: the logs and ground truth of this run are in ${out}`);
    else rmSync(out, { recursive: true, force: true });
  });

  // ---------------------------------------------------------- the harness itself

  describe('the harness, checked on the raw logs', () => {
    it('ran every fault, in order, well inside the time budget', () => {
      expect(truth.faults.map((f) => f.id)).toEqual(['client-kill', 'follower-kill', 'leader-kill', 'two-kill', 'leader-freeze']);
      const times = truth.faults.map((f) => f.at);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(truth.runMs).toBeLessThan(200_000);
      expect(truth.zookeeperVersion).toMatch(/^3\.\d+\.\d+/);
    });

    it('each server wrote its own log in the native layout, in UTC', () => {
      const layout = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[myid:(\d*)\] - (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) \[.+:[\w$.]+@\d+\] - /;
      for (const n of truth.nodes) {
        const lines = log(n.name).filter((l) => l.text !== '');
        expect(lines.length).toBeGreaterThan(100);
        expect(lines[0]!.text).toMatch(layout);
        for (const l of lines.filter((x) => x.t !== null)) {
          const m = layout.exec(l.text);
          expect(m, `${n.name}:${l.line} is not in the native layout: ${l.text}`).not.toBeNull();
          expect(['', String(n.myid)]).toContain(m![1]);
        }
        // Timestamps are UTC: the first record is from when the harness started the ensemble.
        expect(Math.abs(lines[0]!.t! - truth.startedAt)).toBeLessThan(30_000);
        expect(records(n.name, 0, Number.POSITIVE_INFINITY, /\[myid:\d+\]/).length).toBeGreaterThan(50);
      }
    });

    it('shows elections: every server was LOOKING, and FOLLOWING or LEADING after it', () => {
      for (const name of names()) {
        expect(records(name, 0, Infinity, / - LOOKING$/).length, name).toBeGreaterThan(0);
        expect(records(name, 0, Infinity, / - (FOLLOWING|LEADING)$/).length, name).toBeGreaterThan(0);
      }
      expect(names().some((n) => records(n, 0, Infinity, / - LEADING$/).length > 0)).toBe(true);
    });

    it('client-kill: the killed broker session really expires, once, a session timeout after the kill', () => {
      const f = fault(truth, 'client-kill');
      const re = new RegExp(`Expiring session ${f.session}, timeout of ${truth.settings.sessionTimeoutMs}ms exceeded`);
      const lines = names().flatMap((n) => records(n, 0, Infinity, re));
      expect(lines).toHaveLength(1);
      const t = lines[0]!.t!;
      expect(t - f.at).toBeGreaterThan(truth.settings.sessionTimeoutMs - TOLERANCE_MS);
      expect(t - f.at).toBeLessThan(truth.settings.sessionTimeoutMs + TOLERANCE_MS);
      // The broker came back with a new session that stayed alive.
      const broker = truth.brokers.find((b) => b.id === f.broker)!;
      expect(broker.sessions.map((s) => s.session)).toContain(f.session);
      expect(broker.sessions.length).toBeGreaterThanOrEqual(2);
    });

    for (const id of ['follower-kill', 'leader-kill', 'two-kill'] as const) {
      it(`${id}: the others react within 2 s of the kill, and the node logs FOLLOWING/LEADING after its restart`, () => {
        const f = fault(truth, id);
        const targets = f.targets!;
        const survivors = names().filter((n) => !targets.includes(n));
        const ids = targets.map((t) => t.replace('zk-', '')).join('|');
        const reaction = first(survivors, f.at - 5,
          new RegExp(`Connection broken for id (${ids}),|Exception when following the leader|GOODBYE|Unexpected exception in LearnerHandler`));
        expect(reaction, `no reaction to ${id} on ${survivors}`).not.toBeNull();
        expect(reaction!.t! - f.at, `first reaction: ${reaction!.text}`).toBeLessThanOrEqual(TOLERANCE_MS);
        for (const t of targets) {
          // Dead between its kill and the restart: not one line (before its own kill it may log the other target's).
          expect(records(t, (f.atEach?.[t] ?? f.at) + 5, f.restartAt! - 5)).toEqual([]);
          const back = first([t], f.restartAt! - 5, / - (FOLLOWING|LEADING)$/);
          expect(back, `${t} never rejoined`).not.toBeNull();
          expect(back!.t! - f.restartAt!).toBeLessThan(15_000);
        }
        if (id === 'leader-kill') expect(f.leaderAfter).not.toBe(f.leaderBefore);
        if (id === 'two-kill') {
          // The lone survivor loses quorum: it stops leading and looks.
          const looking = first([f.survivor!], f.at - 5, / - LOOKING$/);
          expect(looking).not.toBeNull();
          expect(looking!.t! - f.at).toBeLessThanOrEqual(TOLERANCE_MS);
          expect(first([f.survivor!], f.at - 5, /Not sufficient followers synced/)).not.toBeNull();
        }
      });
    }

    it('leader-freeze: the frozen leader is silent, the others give up within syncLimit and elect a new leader', () => {
      const f = fault(truth, 'leader-freeze');
      const frozen = f.targets![0]!;
      const others = names().filter((n) => n !== frozen);
      const { tickTimeMs, syncLimit } = truth.settings;
      expect(f.contAt! - f.at).toBeGreaterThan(syncLimit * tickTimeMs);
      expect(f.contAt! - f.at).toBeGreaterThan(truth.settings.sessionTimeoutMs);
      expect(records(frozen, f.at + 100, f.contAt! - 5)).toEqual([]);
      const gaveUp = first(others, f.at - 5, /Exception when following the leader/);
      expect(gaveUp).not.toBeNull();
      expect(gaveUp!.t! - f.at).toBeLessThanOrEqual(syncLimit * tickTimeMs + 1000);
      expect(f.newLeader).not.toBe(frozen);
      const leading = first([f.newLeader!], f.at, / - LEADING$/);
      expect(leading).not.toBeNull();
      expect(leading!.t!).toBeLessThan(f.contAt!);
      // Awake again, it finds itself without followers and rejoins as a follower.
      expect(first([frozen], f.contAt! - 5, /Not sufficient followers synced/)).not.toBeNull();
      const back = first([frozen], f.contAt! - 5, / - FOLLOWING$/);
      expect(back).not.toBeNull();
      expect(back!.t! - f.contAt!).toBeLessThan(10_000);
    });

    it('leader-freeze: the woken leader logs "Expiring session" for sessions that were never really expired', () => {
      const f = fault(truth, 'leader-freeze');
      const stale = f.staleExpiries!;
      for (const s of stale) expect(log(f.targets![0]!)[s.line - 1]!.text).toContain(`Expiring session ${s.session}`);
      // A client that was connected to the frozen leader may fail to move to
      // another server within its session timeout on a loaded machine; its
      // session then really expires too. The others were alive all along.
      const notReal = stale.filter((s) => !s.reallyExpired);
      expect(notReal.length, 'at least one expiry of a live session').toBeGreaterThan(0);
      const live = new Set(truth.brokers.flatMap((b) => b.sessions.filter((s) => s.expiredAt === null).map((s) => s.session)));
      for (const s of notReal) expect(live.has(s.session), `${s.session} is a live broker session`).toBe(true);
    });
  });

  // ---------------------------------------------------------- kforensics windows

  describe('kforensics windows over the fresh logs', () => {
    let doc: WindowsDoc;
    let cli: { status: number; stdout: string; stderr: string };

    beforeAll(() => {
      if (!truth) return;
      cli = runCli(['windows', join(out, 'logs'), '--tz', 'UTC', '--json']);
      if (cli.status === 0) doc = JSON.parse(cli.stdout) as WindowsDoc;
    });

    const windowsDoc = (): WindowsDoc => {
      expect(cli.status, `kforensics windows failed: ${cli.stderr.slice(0, 2000)}`).toBe(0);
      return doc;
    };
    const during = (w: Window): boolean => ms(w.start) < truth.teardownAt;
    const fileOf = (node: string): string => `${node}/zookeeper.log`;

    /** The window of one of `kinds` on `node` that overlaps the fault, closest to its start. */
    function windowFor(kinds: Window['kind'][], node: string | undefined, f: Fault, recovered: number): Window {
      const d = windowsDoc();
      const candidates = d.windows.filter((w) => kinds.includes(w.kind) && (node === undefined || w.node === node)
        && ms(w.start) <= recovered + TOLERANCE_MS && endMs(w) >= f.at - TOLERANCE_MS);
      const listing = d.windows.map(show).join('\n  ');
      expect(candidates.length, `no ${kinds.join('/')} window${node ? ` on ${node}` : ''} for ${f.id} (${iso(f.at)} … ${iso(recovered)}); windows:\n  ${listing}`)
        .toBeGreaterThan(0);
      return candidates.sort((a, b) => Math.abs(ms(a.start) - f.at) - Math.abs(ms(b.start) - f.at))[0]!;
    }

    it('prints one kforensics/windows/v1 document in UTC', () => {
      const d = windowsDoc();
      expect(d.schema).toBe('kforensics/windows/v1');
      expect(d.timeZone).toBe('UTC');
      expect(Array.isArray(d.windows)).toBe(true);
      expect(Array.isArray(d.falseAlarms)).toBe(true);
      for (const w of d.windows) {
        expect(w.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]00:00)$/);
        if (w.end !== null && w.durationMs !== null) expect(Math.abs(w.durationMs - (ms(w.end) - ms(w.start)))).toBeLessThanOrEqual(1);
        expect(w.evidence.length, show(w)).toBeGreaterThan(0);
      }
    });

    it('cites evidence that is really in the logs, at the line and time it says', () => {
      const d = windowsDoc();
      for (const e of [...d.windows.flatMap((w) => w.evidence), ...d.falseAlarms]) {
        const node = names().find((n) => e.file.endsWith(fileOf(n)));
        expect(node, `evidence from an unknown file: ${e.file}`).toBeDefined();
        const line = log(node!)[e.line - 1];
        expect(line, `${e.file}:${e.line} does not exist`).toBeDefined();
        if (e.time !== null) expect(ms(e.time), `${e.file}:${e.line} time`).toBe(line!.t);
      }
    });

    for (const id of ['follower-kill', 'leader-kill', 'two-kill'] as const) {
      it(`${id}: a zk-node-down window on each killed node, from the kill until it runs again (serving again, its FOLLOWING/LEADING, the latest end)`, () => {
        const f = fault(truth, id);
        for (const node of f.targets!) {
          const recovered = first([node], f.restartAt! - 5, / - (FOLLOWING|LEADING)$/)!.t!;
          const w = windowFor(['zk-node-down'], node, f, recovered);
          expectEdge(`${id} ${node} start`, w.start, f.at, f.at);
          expectEdge(`${id} ${node} end`, w.end, f.restartAt!, recovered);
          expectEdge(`${id} ${node} latest end`, w.endBounds!.latest, recovered, recovered);
        }
      });
    }

    it('two-kill: a zk-quorum-lost window from the kill until a leader has a quorum again', () => {
      const f = fault(truth, 'two-kill');
      const looking = first([f.survivor!], f.at - 5, / - LOOKING$/)!.t!;
      const restored = f.quorumRestoredAt!;
      const firstBack = Math.min(...f.targets!.map((n) => first([n], f.restartAt! - 5, / - (FOLLOWING|LEADING)$/)!.t!));
      const w = windowFor(['zk-quorum-lost'], undefined, f, restored);
      expectEdge('two-kill quorum-lost start', w.start, f.at, looking);
      expectEdge('two-kill quorum-lost end', w.end, Math.min(firstBack, restored), restored);
    });

    it('leader-freeze: the frozen leader is unreachable (not dead) from the freeze until it runs again, then a stale leader until it steps down', () => {
      const f = fault(truth, 'leader-freeze');
      const frozen = f.targets![0]!;
      const noticed = first(names().filter((n) => n !== frozen), f.at - 5, /Exception when following the leader/)!.t!;
      const back = first([frozen], f.contAt! - 5, / - FOLLOWING$/)!.t!;
      const w = windowFor(['zk-node-unreachable'], frozen, f, back);
      expectEdge('leader-freeze start', w.start, f.at, noticed);
      expectEdge('leader-freeze end', w.end, f.contAt!, back);
      const stale = windowsDoc().windows.find((x) => x.kind === 'zk-stale-leader' && x.node === frozen && ms(x.start) >= ms(w.end!));
      expect(stale, 'no zk-stale-leader window after the frozen leader woke up').toBeDefined();
      expectEdge('stale leader end', stale!.end, f.contAt!, back);
    });

    it('leader-freeze: no window is built on the woken leader\'s stale "Expiring session" lines', () => {
      const f = fault(truth, 'leader-freeze');
      const frozenFile = fileOf(f.targets![0]!);
      const staleLines = new Set(f.staleExpiries!.map((s) => s.line));
      expect(staleLines.size).toBeGreaterThan(0);
      for (const w of windowsDoc().windows) {
        // The frozen leader's own windows may cite its first line after the
        // thaw as the line that ends (or starts) them: that line may be one
        // of these expiries, taken as a sign it runs again, not as an expiry.
        const edges = new Set([w.startSource?.evidence?.line, w.endSource?.evidence?.line]);
        const cited = w.evidence.filter((e) => e.file.endsWith(frozenFile) && staleLines.has(e.line) &&
          !(w.node === f.targets![0] && edges.has(e.line)));
        expect(cited, `${show(w)} is built on the frozen leader's stale expiries`).toEqual([]);
      }
    });

    it('client-kill: the real expiry is not dismissed as a false alarm', () => {
      const f = fault(truth, 'client-kill');
      const real = windowsDoc().falseAlarms.filter((e) => e.text.includes(`Expiring session ${f.session}`));
      expect(real).toEqual([]);
    });

    // A server that is only LOOKING for a moment during another node's election
    // may be reported down for that moment; anything longer must be a fault's target.
    it('reports no zk-node-down or zk-quorum-lost window where nothing was done', () => {
      const d = windowsDoc();
      const spans = truth.faults.filter((f) => f.kind !== 'kill-client').map((f) => ({
        targets: f.targets ?? [],
        from: f.at - TOLERANCE_MS,
        to: Math.max(f.servingAt ?? 0, f.recoveredAt ?? 0, f.quorumRestoredAt ?? 0) + TOLERANCE_MS,
      }));
      for (const w of d.windows.filter(during)) {
        if (w.kind !== 'zk-node-down' && w.kind !== 'zk-quorum-lost') continue;
        const brief = w.end !== null && ms(w.end) - ms(w.start) <= TOLERANCE_MS;
        const explained = spans.some((s) => (w.kind === 'zk-quorum-lost' || brief || s.targets.includes(w.node ?? ''))
          && ms(w.start) <= s.to && endMs(w) >= s.from);
        expect(explained, `${show(w)} matches no injected fault`).toBe(true);
      }
    });
  });
});

// Say so in the test report too, not only on stderr, when the suite cannot run here.
if (!avail.ok) {
  describe('e2e', () => {
    it.skip(SKIP_MESSAGE, () => {});
  });
}
