import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { REPO } from './run-cli.js';

/**
 * Thousands of logs read under a low descriptor limit: every one read in
 * full, every line accounted for, every event out. Families whose times do
 * not overlap are opened one after another; those that overlap share a
 * bounded set of descriptors (see HeldFile).
 */
const pad = (x: number, w = 2): string => String(x).padStart(w, '0');
const stamp = (t: number): string => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
};
const kafka = (t: number, b: number, k: number, event: boolean): string => event
  ? `[${stamp(t)}] INFO [Partition orders-${k % 12} broker=${b}] Shrinking ISR from 1,2,3 to 2,3. Leader: (highWatermark: 1500, endOffset: 1520). Out of sync replicas: (brokerId: 1, endOffset: 1400). (kafka.cluster.Partition)\n`
  : `[${stamp(t)}] INFO [Log partition=orders-${k % 12}, dir=/var/kafka/data] Rolled new log segment at offset ${k} in 3 ms. (kafka.log.Log)\n`;
const zk = (t: number, id: number, k: number, event: boolean): string => event
  ? `${stamp(t)} [myid:${id}] - INFO  [SessionTracker:ZooKeeperServer@610] - Expiring session 0x10000${k}, timeout of 18000ms exceeded\n`
  : `${stamp(t)} [myid:${id}] - INFO  [SyncThread:1:FileTxnLog@284] - Creating new log file: log.${k}\n`;

function makeEvidence(): { root: string; files: number; lines: number; events: number } {
  const dir = tempDir('kforensics-many-');
  const t0 = Date.UTC(2024, 1, 23);
  let files = 0;
  let lines = 0;
  let events = 0;
  const write = (rel: string, count: number, line: (k: number, event: boolean) => string, every: number): void => {
    let text = '';
    for (let k = 0; k < count; k++) {
      const event = k % every === 0;
      text += line(k, event);
      if (event) events++;
    }
    dir.write(rel, text);
    files++;
    lines += count;
  };
  // 1,600 small broker logs, one after another in time (a minute each, two hours apart).
  for (let i = 0; i < 1600; i++) write(`seq/b-${pad(i, 4)}/server.log`, 20, (k, e) => kafka(t0 + i * 7_200_000 + k * 1000, i, k, e), 5);
  // 300 small ZooKeeper logs (native layout), all within the same minute.
  for (let i = 0; i < 300; i++) write(`zk/z-${pad(i, 3)}/zookeeper.log`, 20, (k, e) => zk(t0 + i + k * 1000, i + 1, k, e), 4);
  // 260 larger broker logs (more than the limit), event-dense, all overlapping: each read in several pieces, all open together.
  for (let i = 0; i < 260; i++) write(`dense/d-${pad(i, 3)}/server.log`, 1200, (k, e) => kafka(t0 + i + k * 1000, 5000 + i, k, e), 4);
  return { root: dir.root, files, lines, events };
}

function runLimited(args: string, env: Record<string, string>): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `ulimit -n 256 && exec "${process.execPath}" "${REPO}/bin/run.js" ${args}`], {
    encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('thousands of files under ulimit -n 256', () => {
  const evidence = makeEvidence();
  for (const native of ['1', '0']) {
    it(`reads all ${evidence.files} of them with exact accounting (KF_NATIVE=${native})`, () => {
      const r = runLimited(`timeline "${evidence.root}" --format ndjson --tz UTC`, { KF_NATIVE: native });
      expect(r.stderr).not.toMatch(/too many open files|could not be read/);
      expect(r.stderr).toContain(`Read ${evidence.files} log file(s), ${evidence.lines} lines: ${evidence.lines} records + 0 folded + 0 unrecognised`);
      expect(r.stdout.trim().split('\n')).toHaveLength(evidence.events);
      expect(r.status).toBe(0);
    }, 120_000);
  }
});
