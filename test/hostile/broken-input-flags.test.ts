/**
 * The flags for broken input, end to end: --skew (estimated and corrected),
 * --strict, --show-unrecognised, and the exit codes.
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { TimelineSchema } from '../../src/model/timeline.js';
import { tempDir } from '../helpers/tmp.js';
import { REPO, runAs } from './cli.js';

const tmp = tempDir('kforensics-flags-');
const SHIFT_MS = 2500;

/** Every timestamp of a log moved by `ms` (both layouts); the text is otherwise unchanged. */
function shiftTimes(text: string, ms: number): string {
  return text.replace(/(\[?)(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})/g, (_m, open: string, y, mo, d, h, mi, s, milli) => {
    const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +milli) + ms);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${open}${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())},${p(t.getUTCMilliseconds(), 3)}`;
  });
}

function shiftTree(dir: string, ms: number): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) shiftTree(path, ms);
    else if (/\.log|\.gz$/.test(name)) {
      const gz = name.endsWith('.gz');
      const text = (gz ? gunzipSync(readFileSync(path)) : readFileSync(path)).toString('utf8');
      const out = shiftTimes(text, ms);
      writeFileSync(path, gz ? gzipSync(out) : out);
    }
  }
}

let incident: string;
beforeAll(() => {
  // The HA test with node 2's clock 2.5 s ahead (both its broker and its ZooKeeper).
  incident = join(tmp.root, 'ha-test');
  cpSync(join(REPO, 'fixtures/ha-test-2024-02-23'), incident, { recursive: true });
  shiftTree(join(incident, 'node2'), SHIFT_MS);
});

function timelineJson(args: string[]) {
  const r = runAs(['timeline', incident, '--tz', 'Asia/Seoul', '--json', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return { doc: TimelineSchema.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

describe('clock skew', () => {
  it('estimates a node 2.5 s ahead from events that must be simultaneous, in --json and on stderr', () => {
    const { doc, stderr } = timelineJson([]);
    const skew = doc.skew!;
    const offset = (n: string) => (n === skew.reference ? 0 : skew.estimates.find((e) => e.node === n)!.offsetMs);
    expect(Math.abs(offset('broker-2') - offset('broker-1') - SHIFT_MS)).toBeLessThanOrEqual(50);
    expect(Math.abs(offset('zk-2') - offset('zk-1') - SHIFT_MS)).toBeLessThanOrEqual(50);
    expect(Math.abs(offset('broker-3') - offset('broker-1'))).toBeLessThanOrEqual(50);
    expect(stderr).toMatch(/Clock skew between nodes:\n {2}broker-2 is \+2\.\d+s ahead of \S+ .*correct with --skew broker-2=\+2\.\d+s/);
  });

  it('--skew moves the node\'s times back: the estimate drops to noise and its events take the original times', () => {
    const { doc, stderr } = timelineJson(['--skew', 'broker-2=+2.5s', '--skew', 'zk-2=+2.5s']);
    for (const e of doc.skew!.estimates) expect(Math.abs(e.offsetMs), e.node).toBeLessThan(100);
    expect(stderr).not.toContain('Clock skew');
    const original = TimelineSchema.parse(JSON.parse(runAs(['timeline', 'fixtures/ha-test-2024-02-23', '--tz', 'Asia/Seoul', '--json']).stdout));
    const times = (d: typeof doc) => d.events.filter((e) => e.node === 'broker-2' || e.node === 'zk-2').map((e) => `${e.time} ${e.line}`).sort();
    expect(times(doc)).toEqual(times(original));
  });

  it('rejects a malformed --skew as a usage error, and warns about a node no log mentions', () => {
    const bad = runAs(['timeline', incident, '--skew', 'broker-2']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--skew broker-2=+2.5s');
    const typo = runAs(['windows', incident, '--skew', 'broker-9=+1s']);
    expect(typo.status).toBe(0);
    expect(typo.stderr).toMatch(/--skew broker-9: no such node in these logs \(nodes: broker-1, broker-2/);
  });
});

describe('--strict and --show-unrecognised', () => {
  it('lists each unrecognised line with file:line and why, on stderr (stdout stays JSON)', () => {
    const r = runAs(['timeline', 'fixtures/bad/docker-compose.log', 'fixtures/bad/truncated.log.gz', '--json', '--show-unrecognised']);
    expect(r.status).toBe(1); // the damaged gzip
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('unrecognised fixtures/bad/docker-compose.log:1 (before the first record of the file): "Attaching to zookeeper_1"');
    expect(r.stderr).toMatch(/unrecognised fixtures\/bad\/truncated\.log\.gz:\d+ \(shaped like a record but its timestamp does not parse\)/);
  });

  it('--strict fails (exit 1) at the first unrecognised line, naming it', () => {
    for (const command of ['timeline', 'windows']) {
      const r = runAs([command, 'fixtures/bad/docker-compose.log', '--strict']);
      expect(r.status, command).toBe(1);
      expect(r.stderr.replace(/\s*›\s*/g, ' ')).toContain('fixtures/bad/docker-compose.log:1: before the first record of the file: "Attaching to zookeeper_1"');
    }
  });

  it('--strict passes input that is all log records', () => {
    const r = runAs(['timeline', 'fixtures/bad/kubectl-timestamps.log', '--strict']);
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('exit codes', () => {
  it('0 when everything was read, 1 when an input could not be, 2 on usage errors', () => {
    expect(runAs(['windows', 'fixtures/bad/latin1.log']).status).toBe(0);
    expect(runAs(['windows', 'fixtures/bad/truncated.log.gz']).status).toBe(1);
    expect(runAs(['windows', 'fixtures/bad/truncated.log.gz', '--json']).status).toBe(1);
    expect(runAs(['timeline', 'fixtures/bad/latin1.log', '--tz', 'Mars/Olympus']).status).toBe(2);
    expect(runAs(['windows', join(tmp.root, 'nothing-here')]).status).toBe(2);
  });
});
