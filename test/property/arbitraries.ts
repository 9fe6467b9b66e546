/**
 * Generators for the property tests: valid lines of every layout, the ways
 * real files damage them (corpus-notes §5, §10, §11), and plain noise.
 * KF_FC_RUNS sets the cases per property: small in `npm test`, ≥ 10,000 in
 * `npm run test:fuzz`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO } from '../commands/run-cli.js';

export const RUNS = Number(process.env.KF_FC_RUNS ?? 200);
/** Per-test time limit: generous, so a large KF_FC_RUNS is bounded by work, not by vitest. */
export const TIMEOUT = Math.max(60_000, RUNS * 50);
/** fast-check parameters shared by every property (a fixed seed can be given to replay one). */
export const PARAMS: fc.Parameters<unknown> = {
  numRuns: RUNS,
  ...(process.env.KF_FC_SEED && { seed: Number(process.env.KF_FC_SEED) }),
};

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A valid timestamp's parts and its naive epoch (UTC wall clock). */
export const timestampArb = fc.record({
  y: fc.integer({ min: 1990, max: 2600 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }),
  ms: fc.integer({ min: 0, max: 999 }),
}).map((t) => ({
  text: `${t.y}-${pad(t.mo)}-${pad(t.d)} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)},${pad(t.ms, 3)}`,
  epoch: Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s, t.ms),
}));

/** Text on one line: any code point except LF and CR. */
export const oneLine = (maxLength = 120) =>
  fc.string({ unit: 'binary', maxLength }).map((s) => s.replace(/[\r\n]/g, ' '));
const asciiLine = (maxLength = 80) => fc.string({ unit: 'grapheme-ascii', maxLength }).map((s) => s.replace(/[\r\n]/g, ' '));
const loggerArb = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?:\.[A-Za-z][\w$]{0,12}){0,4}$/);

export const kafkaLineArb = fc.record({ ts: timestampArb, level: fc.constantFrom(...LEVELS), msg: oneLine(), logger: loggerArb })
  .map(({ ts, level, msg, logger }) => ({ line: `[${ts.text}] ${level} ${msg} (${logger})`, epoch: ts.epoch }));

export const zookeeperLineArb = fc.record({
  ts: timestampArb, myid: fc.option(fc.nat({ max: 300 }).map(String), { nil: undefined }), level: fc.constantFrom(...LEVELS),
  thread: asciiLine(30).map((t) => t.replace(/@\d/g, '@x')), cls: fc.stringMatching(/^[A-Z][\w$]{0,20}$/), at: fc.nat({ max: 3000 }), msg: oneLine(),
}).map(({ ts, myid, level, thread, cls, at, msg }) => ({
  line: `${ts.text} ${myid === undefined ? '' : `[myid:${myid}] `}- ${level.padEnd(5)} [${thread}:${cls}@${at}] - ${msg}`,
  epoch: ts.epoch,
}));

/** Lines that follow a record: frames, causes, config dumps, banner leftovers. */
export const continuationArb = fc.oneof(
  fc.stringMatching(/^\tat [a-z]+(?:\.[A-Za-z$]+){1,4}\([A-Za-z]+\.java:\d{1,4}\)$/),
  fc.stringMatching(/^(?:Caused by: )?java\.[a-z]+\.[A-Z][a-zA-Z]{2,20}(?:Exception|Error)(?:: [ -~]{0,40})?$/),
  fc.stringMatching(/^\t[a-z.]{1,30} = [ -~]{0,20}$/),
  fc.constant('\t... 18 more'),
  fc.constant(' (kafka.server.KafkaConfig)'),
);

/** The damage real files show, applied to one line. */
export function corrupt(line: string, other: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: Math.max(0, line.length) });
  return fc.oneof(
    at.map((i) => line.slice(0, i)), // a paste cut mid-token
    at.map((i) => line.slice(i)), // a line that lost its start
    fc.tuple(at, fc.nat({ max: 14_200 })).map(([i, n]) => `${line.slice(0, i)}${'\0'.repeat(Math.min(n, 2000))}${line.slice(i)}`), // NUL runs
    at.map((i) => `${line.slice(0, i)}${other}`), // two writers spliced mid-line
    fc.tuple(at, oneLine(8)).map(([i, s]) => `${line.slice(0, i)}${s}${line.slice(i + 1)}`), // bytes overwritten
    fc.constant(line.replace('[', 'Ä').replace(']', 'Å')), // ISO 646 re-encoded brackets
    fc.constant(`${line}\r`), // a stray CR
    fc.constant(line.replace(/\d/, 'x')), // a digit of the timestamp damaged
    fc.constant(`kafka_1  | ${line}`), // a prefix the file's head did not show
  );
}

/** One short token repeated up to 30,000 times: stack depth and backtracking hazards. */
export const repeatedTokenArb = fc.tuple(fc.constantFrom('| ', '[', '(', ': ', 'a', 'offset: 1 ', '\t', '1,', 'key: '), fc.integer({ min: 1, max: 30_000 }))
  .map(([unit, n]) => unit.repeat(n));

/** Any line at all: valid in either layout, damaged, continuation, noise. */
export function anyLineArb(primary: fc.Arbitrary<{ line: string }>, secondary: fc.Arbitrary<{ line: string }>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: primary.map((x) => x.line) },
    { weight: 2, arbitrary: continuationArb },
    { weight: 1, arbitrary: secondary.map((x) => x.line) },
    { weight: 2, arbitrary: fc.tuple(primary, secondary).chain(([a, b]) => corrupt(a.line, b.line)) },
    { weight: 1, arbitrary: oneLine(200) },
    { weight: 1, arbitrary: repeatedTokenArb },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'SLF4J: Class path contains multiple SLF4J bindings.', 'nohup: ignoring input', '[Configuring] \'port\' in \'/opt/kafka/config/server.properties\'', '...', '# comment') },
  );
}

/** Random bytes with LFs sprinkled in, so that they form lines. */
export const bytesArb = fc.array(
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 255 }) }, { weight: 1, arbitrary: fc.constant(10) }, { weight: 1, arbitrary: fc.constant(13) }),
  { maxLength: 600 },
).map((xs) => Uint8Array.from(xs));

/** Sorted cut points inside a buffer of `length` bytes. */
export const cutsArb = (length: number) => fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 12 }).map((xs) => xs.sort((a, b) => a - b));

/** Lines of the bundled DumpLogSegments fixtures, every dialect: a pool of valid dump lines. */
export const DUMP_LINES: readonly string[] = (() => {
  const dir = join(REPO, 'fixtures/dump-log-segments');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'));
})();

export const dumpLineArb = fc.constantFrom(...DUMP_LINES.filter((l) => l.trim() !== ''));

/** Describe output lines of every version (message-catalogue §14) and damaged forms of them. */
export const describeLineArb = fc.oneof(
  fc.record({ t: fc.stringMatching(/^[\w.-]{1,20}$/), p: fc.nat({ max: 50 }), l: fc.nat({ max: 9 }) })
    .map(({ t, p, l }) => `\tTopic: ${t}\tPartition: ${p}\tLeader: ${l}\tReplicas: ${l},1\tIsr: ${l}\tElr: \tLastKnownElr:`),
  fc.stringMatching(/^[\w.-]{1,20}$/).map((t) => `Topic:${t}\tPartitionCount:3\tReplicationFactor:2\tConfigs:segment.bytes=1073741824`),
  fc.stringMatching(/^[\w.-]{1,20}$/).map((t) => `Topic: ${t}\tTopicId: clHkbrXASlSJd5FgWZu5kA\tPartitionCount: 1\tReplicationFactor: 3\tConfigs: min.insync.replicas=1,=,a=`),
  oneLine(120),
);

export const propertiesLineArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z.]{0,20}\s?[=:]\s?[ -~]{0,30}$/),
  fc.stringMatching(/^server\.\d{1,3}=[a-z0-9.]{1,15}:2888:3888(?:;2181)?$/),
  fc.constantFrom('# comment', '! comment', '', '   ', '=', ':', 'key', 'a\\'),
  oneLine(80),
);
