// Drives scripts/e2e/zk-scenario.mjs from the e2e tests: detects whether a
// real ZooKeeper is installed, runs the scenario in its own process group,
// reads the ground truth and the logs it produced, and cleans up.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SCENARIO = join(REPO, 'scripts', 'e2e', 'zk-scenario.mjs');

export interface Availability { ok: boolean; reason: string | null }

/** Whether the e2e suite can run here; KF_E2E=0 turns it off on purpose. */
export function availability(): Availability {
  if (process.env.KF_E2E === '0') return { ok: false, reason: 'turned off by KF_E2E=0' };
  const r = spawnSync(process.execPath, [SCENARIO, '--check'], { encoding: 'utf8', timeout: 30_000 });
  try {
    const v = JSON.parse(r.stdout) as Availability;
    return { ok: v.ok === true, reason: v.reason ?? null };
  } catch {
    return { ok: false, reason: `could not run ${SCENARIO} --check: ${r.stderr || r.error?.message || `exit ${r.status}`}` };
  }
}

// ------------------------------------------------------------ ground truth

export interface StaleExpiry { session: string; t: number; line: number; reallyExpired: boolean }

export interface Fault {
  id: 'client-kill' | 'follower-kill' | 'leader-kill' | 'two-kill' | 'leader-freeze';
  kind: 'kill-client' | 'kill-9' | 'sigstop';
  /** When the harness sent the signal (epoch ms). */
  at: number;
  /** Each target's own signal (two-kill: the second may go out tens of ms after the first on a loaded machine). */
  atEach?: Record<string, number>;
  targets?: string[];
  role?: string;
  leaderBefore?: string;
  leaderAfter?: string;
  newLeader?: string;
  survivor?: string;
  /** When the process was started again (kill) or sent SIGCONT (freeze). */
  restartAt?: number;
  contAt?: number;
  /** The restarted/woken node's first " - FOLLOWING" or " - LEADING" line after restartAt. */
  recoveredAt?: number | null;
  recoveredEach?: Record<string, number | null>;
  /** When `srvr` showed every server serving again under one leader. */
  servingAt?: number;
  quorumRestoredAt?: number;
  survivorLookingLine?: number | null;
  followersGaveUpAt?: number | null;
  newLeaderLine?: number | null;
  broker?: number;
  session?: string;
  expiredAt?: number;
  expiredOn?: string;
  staleExpiries?: StaleExpiry[];
}

export interface BrokerTruth {
  id: number;
  znode: string;
  sessions: { session: string; registeredAt: number; expiredAt: number | null }[];
  events: { event: string; broker: number; session?: string; t: number }[];
}

export interface GroundTruth {
  schema: 'kforensics-e2e/ground-truth/v1';
  zookeeperVersion: string | null;
  loggingBackend: string;
  layout: string;
  timeZone: 'UTC';
  settings: { tickTimeMs: number; initLimit: number; syncLimit: number; sessionTimeoutMs: number; downMs: number; freezeMs: number; gapMs: number };
  logDir: string;
  nodes: { myid: number; name: string; log: string; client: number; quorum: number; election: number; host: string }[];
  startedAt: number;
  ensembleUpAt: number;
  initialLeader: string;
  brokers: BrokerTruth[];
  faults: Fault[];
  teardownAt: number;
  endedAt: number;
  runMs: number;
}

export function fault(truth: GroundTruth, id: Fault['id']): Fault {
  const f = truth.faults.find((x) => x.id === id);
  if (!f) throw new Error(`ground truth has no fault ${id}`);
  return f;
}

// ------------------------------------------------------------ running it

export interface ScenarioRun { status: number | null; signal: string | null; stderr: string; truth: GroundTruth | null }

/**
 * Runs the scenario into `out` (about a minute) in its own process group.
 * Never throws; the caller decides what a failed run means.
 */
export function runScenario(out: string, timeoutMs = 270_000): { done: Promise<ScenarioRun>; pid: number | undefined } {
  const child = spawn(process.execPath, [SCENARIO, '--out', out], {
    cwd: REPO, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KF_E2E_QUIET: '' },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => { stderr += d; });
  const done = new Promise<ScenarioRun>((resolve) => {
    const timer = setTimeout(() => {
      stderr += `\n[harness] scenario did not finish within ${timeoutMs} ms: killing it\n`;
      killScenario(child.pid, out);
    }, timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const file = join(out, 'ground-truth.json');
      const truth = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GroundTruth) : null;
      resolve({ status, signal, stderr, truth });
    });
  });
  return { done, pid: child.pid };
}

/** Kills the scenario's process group and every child group it recorded in pids.json. */
export function killScenario(pid: number | undefined, out: string): void {
  const groups: number[] = [];
  if (pid) groups.push(pid);
  try {
    groups.push(...(JSON.parse(readFileSync(join(out, 'pids.json'), 'utf8')) as number[]));
  } catch { /* no children recorded */ }
  for (const g of groups) {
    for (const sig of ['SIGCONT', 'SIGKILL'] as const) {
      try { process.kill(-g, sig); } catch { /* already gone */ }
    }
  }
}

// ------------------------------------------------------------ logs

export interface LogLine { file: string; node: string; line: number; t: number | null; text: string }

const TS = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) /;

/** A log written by the servers (UTC, native layout), with each record's epoch ms. */
export function readServerLog(out: string, node: string): LogLine[] {
  const file = join(out, 'logs', node, 'zookeeper.log');
  return readFileSync(file, 'utf8').split('\n').map((text, i) => {
    const m = TS.exec(text);
    const t = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) : null;
    return { file, node, line: i + 1, t, text };
  });
}

export const iso = (t: number | null | undefined): string => (t == null ? 'null' : new Date(t).toISOString());
