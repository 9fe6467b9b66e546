#!/usr/bin/env node
// Writes fixtures/account-event-2022-10-05/broker-1/dump-account_event-0.txt:
// DumpLogSegments --deep-iteration output (Kafka 2.2–2.7 layout: batch line,
// then the `| offset:` record line) for ../kafka-logs/account_event-0/00000000000000052262.log,
// offsets 52262..52661, as in seed 001.
//
// Deterministic: a fixed-seed PRNG gives a sign-up every 10–40 s before
// 17:02:56.908 +09:00. The last three records are the seed's own figures:
//   52659 CreateTime 1664956976908 (valuesize 157)
//   52660 CreateTime 1664965080597 position 90289 size 229 crc 428458902 (valuesize 159)
//   52661 CreateTime 1664965464265 position 90518 size 223 crc 2949796221 (valuesize 153)
// A single-record v2 batch with no key and no headers is 61 bytes of batch
// header + a 2-byte record-length varint + 7 bytes of record overhead + the
// value: size = valuesize + 70 (valuesize 64..8191), as 229 = 159 + 70 and
// 223 = 153 + 70 confirm. Positions add up the sizes from 0, so 52660 lands
// at position 90289 exactly as in the seed.
//
// Usage: node scripts/make-account-event-dump.mjs [output-path]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from './args.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { positionals } = scriptArgs(`Usage: node scripts/make-account-event-dump.mjs [OUTPUT]

Writes the account_event-0 DumpLogSegments fixture (deterministic; offsets
52262..52661) to OUTPUT, by default
fixtures/account-event-2022-10-05/broker-1/dump-account_event-0.txt.

  -h, --help    this text`, {}, { positionals: 1 });
const out = positionals[0] ?? join(repo, 'fixtures/account-event-2022-10-05/broker-1/dump-account_event-0.txt');

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = 52262;
const LAST_BEFORE_GAP = 52659;
const EPOCH = 3;
const OVERHEAD = 70;
const rand = mulberry32(20221005);

// CreateTimes, walking back from 52659.
const time = new Map();
time.set(LAST_BEFORE_GAP, 1664956976908);
for (let o = LAST_BEFORE_GAP - 1; o >= FIRST; o--) {
  const spacing = 10_000 + Math.floor(rand() * 30_001);
  time.set(o, time.get(o + 1) - spacing);
}
time.set(52660, 1664965080597);
time.set(52661, 1664965464265);

// Value sizes: 150..164, then nudged so that the sizes before 52660 sum to 90289.
const value = new Map();
for (let o = FIRST; o < LAST_BEFORE_GAP; o++) value.set(o, 150 + Math.floor(rand() * 15));
value.set(LAST_BEFORE_GAP, 157);
value.set(52660, 159);
value.set(52661, 153);
const target = 90289 - (LAST_BEFORE_GAP - FIRST + 1) * OVERHEAD;
let sum = 0;
for (let o = FIRST; o <= LAST_BEFORE_GAP; o++) sum += value.get(o);
for (let o = FIRST; sum !== target; o = o + 1 >= LAST_BEFORE_GAP ? FIRST : o + 1) {
  const v = value.get(o);
  if (sum < target && v < 170) { value.set(o, v + 1); sum++; } else if (sum > target && v > 140) { value.set(o, v - 1); sum--; }
}

const crcs = new Map([[52660, 428458902], [52661, 2949796221]]);
const lines = [
  'Dumping ../kafka-logs/account_event-0/00000000000000052262.log',
  'Starting offset: 52262',
];
let position = 0;
for (let o = FIRST; o <= 52661; o++) {
  const size = value.get(o) + OVERHEAD;
  const crc = crcs.get(o) ?? Math.floor(rand() * 4294967296);
  const t = time.get(o);
  lines.push(
    `baseOffset: ${o} lastOffset: ${o} count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 ` +
      `partitionLeaderEpoch: ${EPOCH} isTransactional: false isControl: false position: ${position} CreateTime: ${t} ` +
      `size: ${size} magic: 2 compresscodec: NONE crc: ${crc} isvalid: true`,
    `| offset: ${o} CreateTime: ${t} keysize: -1 valuesize: ${value.get(o)} sequence: -1 headerKeys: []`,
  );
  position += size;
}
if (value.get(52660) + OVERHEAD !== 229) throw new Error('size check');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${out}: ${lines.length} lines, offsets ${FIRST}..52661, first CreateTime ${time.get(FIRST)}`);
