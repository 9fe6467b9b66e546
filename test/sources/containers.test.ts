/**
 * Container inputs (fixtures/inputs/, made from the ha-test incident's own
 * logs): a `docker compose logs` capture and a `kubectl logs --prefix`
 * capture split into one input per container, a Kubernetes CRI file and a
 * Docker json-file log unwrapped (partial pieces joined). Each reads to the
 * same records as the log it wraps, and matches its golden.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flat, REPO, runCli } from '../commands/run-cli.js';
import { expectGolden } from '../helpers/golden.js';

const HA = 'fixtures/ha-test-2024-02-23';
const CRI = 'fixtures/inputs/cri/var/log/pods/kafka_kafka-2_0c6f0b3e-8a1f-4d5e-9c1a-2b3c4d5e6f70/kafka/0.log';
const DOCKER_ID = '4f1c2a9b7d3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8';
const DOCKER = `fixtures/inputs/docker/var/lib/docker/containers/${DOCKER_ID}/${DOCKER_ID}-json.log`;

interface Input { file: string; node: string; linesRead: number; records: number; folded: number; unrecognised: number; skipped: string | null }
interface Event { file: string; line: number; time: string; rule: unknown; message: string }

function timeline(path: string): { inputs: Input[]; events: Event[]; text: string } {
  const r = runCli(['timeline', path, '--tz', 'Asia/Seoul', '--all', '--json']);
  expect(r.status, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout);
  return { inputs: json.inputs, events: json.events, text: `${JSON.stringify(json, null, 2)}\n` };
}

/** What a reading says about the records, whatever the file is called. */
const records = (events: Event[]) => events.map((e) => ({ line: e.line, time: e.time, rule: e.rule, message: e.message }));
const counts = (i: Input) => ({ linesRead: i.linesRead, records: i.records, folded: i.folded, unrecognised: i.unrecognised });

describe('a docker compose capture of several containers', () => {
  const path = 'fixtures/inputs/compose-capture.log';
  const got = timeline(path);

  it('becomes one input per container, each read as the log it holds', () => {
    const by = (name: string) => got.inputs.find((i) => i.file === `${path}!/${name}/compose-capture.log`)!;
    expect(counts(by('kafka-1'))).toEqual(counts(timeline(`${HA}/node1/server.log.2024-02-23-07`).inputs[0]!));
    expect(counts(by('kafka-3'))).toEqual(counts(timeline(`${HA}/node3/server.log.2024-02-23-07`).inputs[0]!));
    expect(counts(by('zookeeper-2'))).toEqual(counts(timeline(`${HA}/node2/zookeeper/server.log.2024-02-23-07`).inputs[0]!));
    // Each container's lines name its own node: kafka-3's are not put on broker-1.
    expect(by('kafka-1').node.split(',')).toContain('broker-1');
    expect(by('kafka-3').node.split(',')).toContain('broker-3');
    expect(by('zookeeper-2').node).toBe('zk-2');
    // compose's own `Attaching to …` line is accounted for, as an input that holds no log.
    expect(got.inputs.find((i) => i.file === `${path}!/(no container)/compose-capture.log`)?.skipped).toMatch(/no known layout/);
  });

  it('matches its golden', () => expectGolden(join(REPO, 'fixtures/inputs/compose-capture.expected.json'), got.text));
});

describe('a kubectl logs --prefix capture of several pods', () => {
  const path = 'fixtures/inputs/kubectl-prefix.log';
  const got = timeline(path);

  it('becomes one input per pod and container', () => {
    const pod0 = got.inputs.find((i) => i.file === `${path}!/kafka-0/kafka/kubectl-prefix.log`)!;
    const pod1 = got.inputs.find((i) => i.file === `${path}!/kafka-1/kafka/kubectl-prefix.log`)!;
    expect(counts(pod0)).toEqual(counts(timeline(`${HA}/node3/server.log`).inputs[0]!));
    expect(counts(pod1)).toEqual(counts(timeline(`${HA}/node2/kafka/server.log`).inputs[0]!));
    expect(pod0.node.split(',')).toContain('broker-3');
    expect(pod1.node).toBe('broker-2');
  });

  it('matches its golden', () => expectGolden(join(REPO, 'fixtures/inputs/kubectl-prefix.expected.json'), got.text));
});

describe('a compose capture mixing layouts: a ZooKeeper service in its own layout beside two Kafka services', () => {
  const path = 'fixtures/inputs/compose-zookeeper-session.log';
  const r = runCli(['timeline', path, '--tz', 'UTC', '--json']);
  const json = JSON.parse(r.stdout);
  const by = (name: string): Input & { kind: string } => json.inputs.find((i: Input) => i.file === `${path}!/${name}/compose-zookeeper-session.log`);

  it("reads each service's lines in their own layout, named by the service, every line accounted for", () => {
    expect(r.status, r.stderr).toBe(0);
    expect(by('zookeeper-1')).toMatchObject({ kind: 'zookeeper-native', node: 'zk-1', linesRead: 11, records: 8, folded: 3, unrecognised: 0 });
    expect(by('kafka-1')).toMatchObject({ node: 'broker-1', linesRead: 9, records: 9, folded: 0, unrecognised: 0 });
    expect(by('kafka-2')).toMatchObject({ kind: 'kafka-server', node: 'broker-2', linesRead: 12, records: 10, folded: 2, unrecognised: 0 });
    // compose's `Attaching to …` line: read, and said to hold no log.
    expect(by('(no container)').skipped).toMatch(/no known layout in the first 1 lines/);
    const lines = readFileSync(join(REPO, path), 'utf8').split('\n').length - 1;
    const read = ['zookeeper-1', 'kafka-1', 'kafka-2'].reduce((n, name) => n + by(name).linesRead, 1);
    expect(read).toBe(lines);
    for (const name of ['zookeeper-1', 'kafka-1', 'kafka-2']) expect(by(name).records + by(name).folded + by(name).unrecognised).toBe(by(name).linesRead);
    // The story: ZooKeeper expires kafka-2's session, the controller on kafka-1 drops broker 2.
    const rules = json.events.map((e: { node: string; rule: string | null }) => `${e.node} ${e.rule}`);
    expect(rules).toContain('zk-1 zk.session.expired');
    expect(rules).toContain('broker-1 kafka.controller.broker-failure');
    expect(rules).toContain('broker-2 kafka.zk.session-expired');
    expect(json.windows.map((w: { kind: string; node: string }) => `${w.kind} ${w.node}`)).toContain('isolated broker-2');
  });

  it('matches its golden', () => expectGolden(join(REPO, 'fixtures/inputs/compose-zookeeper-session.expected.json'), `${JSON.stringify(json, null, 2)}\n`));

  it("one pod's kubectl --prefix capture is read too, in its own layout, the pod naming the node", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kforensics-kubectl-'));
    try {
      // The ZooKeeper service's lines, as `kubectl logs --prefix pod/zookeeper-1` prints them.
      const lines = readFileSync(join(REPO, path), 'utf8').split('\n').filter((l) => l.startsWith('zookeeper-1  | '));
      const file = join(dir, 'zk.log');
      writeFileSync(file, lines.map((l) => `[pod/zookeeper-1/zookeeper] ${l.slice('zookeeper-1  | '.length)}\n`).join(''));
      const got = runCli(['timeline', file, '--tz', 'UTC', '--json']);
      expect(got.status, got.stderr).toBe(0);
      const inputs = JSON.parse(got.stdout).inputs;
      expect(inputs).toHaveLength(1);
      expect(inputs[0]).toMatchObject({ file: `${file}!/zookeeper-1/zookeeper/zk.log`, kind: 'zookeeper-native', node: 'zk-1', linesRead: 11, records: 8, folded: 3, unrecognised: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime log files', () => {
  it('a CRI file reads as the log it wraps, partial pieces joined', () => {
    const got = timeline(CRI);
    const original = timeline(`${HA}/node3/server.log.2024-02-23-07`);
    expect(counts(got.inputs[0]!)).toEqual(counts(original.inputs[0]!));
    expect(records(got.events)).toEqual(records(original.events));
    expectGolden(join(REPO, 'fixtures/inputs/cri.expected.json'), got.text);
  });

  it("the runtime's own times (which carry a zone) catch a wrong --tz: exit 1, the zone to use", () => {
    for (const [command, path] of [['timeline', CRI], ['windows', DOCKER]] as const) {
      const wrong = runCli([command, path, '--tz', 'UTC', '--json']);
      expect(wrong.status, command).toBe(1);
      expect(flat(wrong.stderr)).toMatch(/TIME ZONE MISMATCH: .* read as UTC \(\+00:00\) are \+09:00 off the container runtime's own times on (\d+) of \1 lines .* read it with --tz Etc\/GMT-9/);
      const right = runCli([command, path, '--tz', 'Asia/Seoul', '--json']);
      expect(right.status, command).toBe(0);
      expect(right.stderr).not.toContain('TIME ZONE MISMATCH');
    }
    const report = runCli(['report', CRI, '--tz', 'UTC', '--out', '-']);
    expect(report.status).toBe(1);
    expect(flat(report.stderr)).toContain('TIME ZONE MISMATCH');
    // A plain log (no runtime time) is not checked.
    expect(runCli(['timeline', `${HA}/node3/server.log.2024-02-23-07`, '--tz', 'UTC', '--json']).stderr).not.toContain('TIME ZONE MISMATCH');
  });

  it('the runtime zone check is in the documents too: timeline and windows --json, gap, report json, markdown and html', () => {
    type Check = { checked: boolean; shiftMs: number | null; suggestedTimeZone: string | null; file: string; pairs: number; agreeing: number; message: string };
    const mismatch = (checks: Check[] | undefined, file: string): void => {
      expect(checks).toHaveLength(1);
      expect(checks![0]).toMatchObject({ checked: true, shiftMs: 9 * 3_600_000, writtenOffset: '+09:00', suggestedTimeZone: 'Etc/GMT-9', file });
      expect(checks![0]!.agreeing).toBe(checks![0]!.pairs);
      expect(checks![0]!.message).toMatch(/^TIME ZONE MISMATCH: /);
    };
    const json = (args: string[]): { status: number; doc: Record<string, unknown> } => {
      const r = runCli(args);
      return { status: r.status, doc: JSON.parse(r.stdout) };
    };
    const timeline = json(['timeline', CRI, '--tz', 'UTC', '--json']);
    expect(timeline.status).toBe(1);
    mismatch(timeline.doc.runtimeZoneCheck as Check[], CRI);
    // In the head, before the events.
    expect(Object.keys(timeline.doc).slice(-2)).toEqual(['runtimeZoneCheck', 'events']);
    const windows = json(['windows', DOCKER, '--tz', 'UTC', '--json']);
    expect(windows.status).toBe(1);
    mismatch(windows.doc.runtimeZoneCheck as Check[], DOCKER);
    const gap = json(['gap', '--topic', 'test-topic', CRI, '--tz', 'UTC', '--json']);
    mismatch(gap.doc.runtimeZoneCheck as Check[], CRI);
    const report = json(['report', CRI, '--tz', 'UTC', '--format', 'json', '--out', '-']);
    expect(report.status).toBe(1);
    mismatch(report.doc.runtimeZoneCheck as Check[], CRI);
    expect((report.doc.summary as { narrative: string }).narrative).toMatch(/^TIME ZONE MISMATCH: /);
    for (const format of ['md', 'html']) {
      const text = runCli(['report', CRI, '--tz', 'UTC', '--format', format, '--out', '-']).stdout;
      // The input-quality line, tags and escapes aside.
      expect(flat(text.replace(/<[^>]+>/g, '')), format).toMatch(/Time zone:.*Checked against the container runtime(?:'|&#39;|&#x27;)s own times .*TIME ZONE MISMATCH: .*read it with --tz Etc\/GMT-9/);
    }
    // Read in the right zone: the check is there, and says they agree.
    const right = json(['timeline', CRI, '--tz', 'Asia/Seoul', '--json']);
    expect(right.status).toBe(0);
    expect(right.doc.runtimeZoneCheck).toEqual([expect.objectContaining({ checked: true, shiftMs: null, suggestedTimeZone: null, pairs: 88, agreeing: 88 })]);
    // A plain log carries no runtime times: no check, no field.
    expect(json(['windows', `${HA}/node3/server.log.2024-02-23-07`, '--tz', 'UTC', '--json']).doc).not.toHaveProperty('runtimeZoneCheck');
  });

  it('a Docker json-file log reads as the log it wraps, partial pieces joined', () => {
    const got = timeline(DOCKER);
    const original = timeline(`${HA}/node1/server.log`);
    expect(counts(got.inputs[0]!)).toEqual(counts(original.inputs[0]!));
    expect(records(got.events)).toEqual(records(original.events));
    expect(got.inputs[0]!.node.split(',')).toContain('broker-1');
    expectGolden(join(REPO, 'fixtures/inputs/docker.expected.json'), got.text);
  });
});
