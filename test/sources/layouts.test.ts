/**
 * Layouts other than Kafka's and ZooKeeper's defaults (fixtures/inputs/layouts/,
 * written after real lines): Strimzi's `%d{ISO8601} %p %m (%c) [%t]`, the
 * bracketed `[%d] [%p] [%t] [%c] - %m`, and ZooKeeper lines whose `[myid:…]`
 * holds a client's host:port. Each reads with exact accounting and matches
 * its golden.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, defaultClassifier } from '../../src/catalogue/index.js';
import { RecordReader } from '../../src/readers/assembler.js';
import { kafkaLog4jLayout } from '../../src/readers/kafka-log4j.js';
import { detectPrefix, lineFix } from '../../src/sources/prefix.js';
import { Zone } from '../../src/time/zone.js';
import { REPO, runCli } from '../commands/run-cli.js';
import { expectGolden } from '../helpers/golden.js';

const DIR = 'fixtures/inputs/layouts';

function timeline(name: string) {
  const r = runCli(['timeline', `${DIR}/${name}.log`, '--tz', 'UTC', '--all', '--json']);
  expect(r.status, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout);
  expectGolden(join(REPO, DIR, `${name}.expected.json`), `${JSON.stringify(json, null, 2)}\n`);
  return json as {
    inputs: { kind: string; node: string; linesRead: number; records: number; folded: number; unrecognised: number }[];
    events: { line: number; rule: string | null; severity: string; message: string; continuation: string[] }[];
    windows: { kind: string; node: string }[];
  };
}

describe('other log4j layouts', () => {
  it("Strimzi's layout, log4j 1 and log4j 2 timestamps", () => {
    const json = timeline('strimzi-server');
    expect(json.inputs[0]).toMatchObject({ kind: 'kafka-server', node: 'broker-2', linesRead: 14, records: 10, folded: 4, unrecognised: 0 });
    const rules = json.events.map((e) => e.rule);
    expect(rules).toContain('kafka.broker.shutting-down');
    expect(rules).toContain('kafka.broker.started');
    // The thread is not part of the message; the stack trace is folded into its record.
    const fetch = json.events.find((e) => e.line === 7)!;
    expect(fetch.message.endsWith('rackId=)')).toBe(true);
    expect(fetch.continuation).toHaveLength(4);
    expect(json.windows.map((w) => `${w.kind} ${w.node}`)).toContain('broker-down broker-2');
  });

  it('the bracketed layout: a failed OfflinePartition election is read', () => {
    const json = timeline('bracketed-controller');
    expect(json.inputs[0]).toMatchObject({ kind: 'kafka-controller', node: 'broker-3', linesRead: 7, records: 4, folded: 3, unrecognised: 0 });
    expect(json.events.find((e) => e.line === 3)).toMatchObject({ severity: 'critical' });
    expect(json.windows.map((w) => w.kind)).toContain('partition-offline');
  });

  it("ZooKeeper lines whose [myid:] holds a client's host:port keep their level, class and rule", () => {
    const json = timeline('zookeeper-myid-hostport');
    expect(json.inputs[0]).toMatchObject({ kind: 'zookeeper-native', node: 'zk-2', linesRead: 5, records: 5, folded: 0, unrecognised: 0 });
    const warn = json.events.find((e) => e.line === 3)!;
    expect(warn.rule).not.toBeNull();
    expect(warn.severity).toBe('error');
  });

  it("a Kafka broker written in ZooKeeper's layout: the loggers are found from the classes and log idents", () => {
    const json = timeline('kafka-zookeeper-layout');
    expect(json.inputs[0]).toMatchObject({ kind: 'kafka-server', node: 'broker-1', linesRead: 18, records: 15, folded: 3, unrecognised: 0 });
    const rule = (line: number) => json.events.find((e) => e.line === line)!.rule;
    expect(rule(7)).toBe('kafka.broker.started');
    expect(rule(8)).toBe('kafka.isr.shrink');
    expect(rule(5)).toBe('kafka.zk.session-established');
    expect(rule(18)).toBe('kafka.broker.shut-down');
    // `starting` carries no log ident: the class printed is Kafka's logging trait, which names no component.
    expect(rule(2)).toBeNull();
    expect(json.windows.map((w) => `${w.kind} ${w.node}`)).toContain('broker-down broker-1');
  });

  it("every Kafka sample of the catalogue, printed in ZooKeeper's layout, is its own rule or none, never another", () => {
    const classifier = defaultClassifier();
    const fix = lineFix('kafka-in-zookeeper-layout')!;
    let own = 0;
    let none = 0;
    for (const rule of CATALOGUE.filter((r) => r.appliesTo.includes('kafka-broker') && !r.appliesTo.includes('zookeeper'))) {
      for (const sample of rule.samples) {
        const [first, ...rest] = sample.split('\n');
        const m = /^\[(.{23})\] (\w+) (.*) \(([\w.$-]+)\)$/.exec(first!);
        if (!m) continue;
        const [, time, level, message, logger] = m;
        // Scala components log through the Logging trait; Java classes print themselves.
        const cls = logger!.startsWith('kafka.') || !logger!.includes('.') || logger === 'state.change.logger' ? 'Logging' : logger!.slice(logger!.lastIndexOf('.') + 1);
        const zk = `${time} [myid:] - ${level!.padEnd(5)} [main:${cls}@66] - ${message}`;
        expect(detectPrefix([zk, zk])).toBe(cls === 'Logging' || /^org\.apache\.kafka\./.test(logger!) ? 'kafka-in-zookeeper-layout' : null);
        const reader = new RecordReader(kafkaLog4jLayout('kafka-broker'), new Zone('UTC'));
        const records = [...[fix(zk), ...rest].map((l) => reader.push(l)), reader.end()].filter((r) => r !== undefined);
        expect(records).toHaveLength(1);
        const hit = classifier.classify(records[0]!);
        if (hit) {
          expect(hit.rule.id, zk).toBe(rule.id);
          own++;
        } else none++;
      }
    }
    // Most Kafka lines carry their component's log ident or are Java classes'.
    expect(own).toBeGreaterThan(3 * none);
  });

  it("Kafka's authentication failures and the authorizer's denials are classified", () => {
    const server = timeline('kafka-sasl-server');
    expect(server.inputs[0]).toMatchObject({ kind: 'kafka-server', node: 'broker-1', linesRead: 8, records: 7, folded: 1, unrecognised: 0 });
    expect(server.events.map((e) => e.rule)).toEqual([
      'kafka.broker.started', 'kafka.auth.failed', 'kafka.auth.failed', 'kafka.auth.failed', 'kafka.auth.failed', 'kafka.auth.client-failed', 'kafka.fetch.failed',
    ]);
    const authorizer = timeline('kafka-authorizer');
    expect(authorizer.inputs[0]).toMatchObject({ kind: 'kafka-server', linesRead: 3, records: 3, folded: 0, unrecognised: 0 });
    expect(authorizer.events.every((e) => e.rule === 'kafka.authorizer.denied' && e.severity === 'warn')).toBe(true);
  });

  it('lines that only look like a layout are left as they are', () => {
    const strimzi = lineFix('strimzi-layout')!;
    // No `(logger) [thread]` at the end; a logger with spaces; a continuation line.
    for (const line of [
      '2024-02-23 07:38:00,010 INFO Terminating process due to signal SIGTERM',
      '2024-02-23 07:38:00,010 INFO text (not a logger) [main]',
      '\tat kafka.server.KafkaServer.startup(KafkaServer.scala:1) [x]',
    ]) expect(strimzi(line)).toBe(line);
    expect(strimzi('2024-02-23T07:38:44,945 INFO [KafkaServer id=2] started (kafka.server.KafkaServer) [main]'))
      .toBe('[2024-02-23T07:38:44,945] INFO [KafkaServer id=2] started (kafka.server.KafkaServer)');
    const bracketed = lineFix('bracketed-layout')!;
    expect(bracketed('[2024-02-23 07:44:06,051] [INFO] [main] [not a logger] - x')).toBe('[2024-02-23 07:44:06,051] [INFO] [main] [not a logger] - x');
    expect(bracketed('[2024-02-23 07:44:06,051] [WARN] [pool-1 [x]] [kafka.server.KafkaServer] - a - b'))
      .toBe('[2024-02-23 07:44:06,051] WARN a - b (kafka.server.KafkaServer)');
  });
});

describe("a bundle's own log4j.properties", () => {
  const BUNDLE = 'fixtures/inputs/log4j-bundle';
  const PATTERN = '%d{yyyy-MM-dd HH:mm:ss.SSS} | %-5p | %c | %t | %m%n';

  it('reads a log written with its custom ConversionPattern', () => {
    const r = runCli(['timeline', BUNDLE, '--tz', 'UTC', '--all', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const log = json.inputs.find((i: { file: string }) => i.file === `${BUNDLE}/logs/server.log`);
    expect(log).toMatchObject({ kind: 'kafka-server', node: 'broker-2', linesRead: 10, records: 8, folded: 2, unrecognised: 0 });
    expect(json.windows.map((w: { kind: string; node: string }) => `${w.kind} ${w.node}`)).toContain('broker-down broker-2');
    // Beside the bundle, not in it: a golden inside would be read as one of its inputs.
    expectGolden(join(REPO, 'fixtures/inputs/log4j-bundle.expected.json'), `${JSON.stringify(json, null, 2)}\n`);
  });

  it('without the configuration the log is in no known layout, and says so; --layout gives the pattern by hand', () => {
    const alone = runCli(['timeline', `${BUNDLE}/logs`, '--tz', 'UTC', '--json']);
    expect(JSON.parse(alone.stdout).inputs[0].skipped).toMatch(/no known layout/);
    const byHand = runCli(['timeline', `${BUNDLE}/logs`, '--tz', 'UTC', '--all', '--json', '--layout', PATTERN]);
    expect(byHand.status, byHand.stderr).toBe(0);
    expect(JSON.parse(byHand.stdout).inputs[0]).toMatchObject({ linesRead: 10, records: 8, folded: 2, unrecognised: 0 });
  });

  it('a pattern without a date, level or message makes no layout', () => {
    const r = runCli(['timeline', `${BUNDLE}/logs`, '--tz', 'UTC', '--json', '--layout', '%c - %m%n']);
    expect(JSON.parse(r.stdout).inputs[0].skipped).toMatch(/no known layout/);
  });
});

describe('patterns of log4j 2 and logback configurations', () => {
  it('are found in XML, YAML and log4j 2 properties, and read their lines', async () => {
    const { patternsFromConfig, patternFix } = await import('../../src/sources/layout-pattern.js');
    const xml = `<Configuration><Appenders><RollingFile name="server" fileName="\${sys:kafka.logs.dir}/server.log">
      <PatternLayout pattern="%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n%throwable"/>
    </RollingFile></Appenders></Configuration>`;
    const [fromXml] = patternsFromConfig('log4j2.xml', xml);
    expect(fromXml?.pattern).toBe("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n%throwable");
    expect(patternFix(fromXml!.pattern)!('2025-03-01T10:00:00.123+01:00 WARN  [controller-event-thread] kafka.controller.KafkaController - [Controller id=1] Broker failure callback for 2'))
      .toBe('[2025-03-01 10:00:00,123] WARN [Controller id=1] Broker failure callback for 2 (kafka.controller.KafkaController)');
    const yaml = 'Configuration:\n  Appenders:\n    Console:\n      PatternLayout:\n        pattern: "[%d] %p %m (%c)%n"\n';
    expect(patternsFromConfig('log4j2.yaml', yaml).map((p) => p.pattern)).toEqual(['[%d] %p %m (%c)%n']);
    const props = 'appender.stdout.layout.type=PatternLayout\nappender.stdout.layout.pattern=%d{ISO8601} %p %m (%c) [%t]%n\n';
    expect(patternsFromConfig('log4j2.properties', props).map((p) => p.pattern)).toEqual(['%d{ISO8601} %p %m (%c) [%t]%n']);
    const logback = '<configuration><appender><encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger - %msg%n</pattern></encoder></appender></configuration>';
    // A time without a date cannot place a record: not used.
    expect(patternsFromConfig('logback.xml', logback)).toEqual([]);
  });
});
