#!/usr/bin/env node
// Constant-memory check for the DumpLogSegments reader + gap scan (not a unit
// test: timings depend on the machine). Writes a synthetic 2.2–2.7 style dump
// of N records (default 1,000,000; one batch line + one `| offset:` line each,
// with a 2-hour hole in the middle), runs the compiled gap analysis on it, and
// prints rows/s and peak RSS. Run `npm run build` first.
//
//   node scripts/bench-gap.mjs [records] [--keep]
//
// Peak RSS should stay flat when the record count grows (try 100000 vs 5000000).
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { scriptArgs } from './args.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = scriptArgs(`Usage: node scripts/bench-gap.mjs [RECORDS] [--keep]

Writes a synthetic DumpLogSegments output of RECORDS records (default
1000000) with a 2-hour hole, runs the compiled gap analysis on it (npm run
build first) and prints rows/s and peak RSS.

  --keep        keep the generated dump (its folder is printed)
  -h, --help    this text`, { keep: { type: 'boolean', default: false } }, { positionals: 1 });
const n = Number(positionals[0] ?? 1_000_000);
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write(`RECORDS must be a whole number of records; got ${positionals[0]}\n`);
  process.exit(2);
}
const keep = values.keep;
const dir = mkdtempSync(join(tmpdir(), 'kf-bench-gap-'));
const file = join(dir, 'dump-bench-0.txt');

async function generate() {
  const out = createWriteStream(file);
  const write = async (s) => { if (!out.write(s)) await once(out, 'drain'); };
  await write('Dumping /data/kafka-logs/bench-0/00000000000000000000.log\nStarting offset: 0\n');
  let t = 1_700_000_000_000;
  let position = 0;
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let chunk = '';
  for (let o = 0; o < n; o++) {
    t += o === Math.floor(n / 2) ? 7_200_000 : Math.floor(rand() * 40);
    const v = 100 + Math.floor(rand() * 60);
    const size = v + 70;
    chunk += `baseOffset: ${o} lastOffset: ${o} count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 7 isTransactional: false isControl: false position: ${position} CreateTime: ${t} size: ${size} magic: 2 compresscodec: NONE crc: ${Math.floor(rand() * 4294967295)} isvalid: true\n`
      + `| offset: ${o} CreateTime: ${t} keysize: -1 valuesize: ${v} sequence: -1 headerKeys: []\n`;
    position += size;
    if (chunk.length > 1 << 20) { await write(chunk); chunk = ''; }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
}

const g0 = Date.now();
await generate();
const bytes = statSync(file).size;
console.log(`generated ${n} records, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - g0) / 1000).toFixed(1)} s: ${file}`);

const { analyzeGaps, DEFAULTS } = await import(pathToFileURL(join(repo, 'dist/analysis/gap.js')).href);
const { Zone } = await import(pathToFileURL(join(repo, 'dist/time/zone.js')).href);

let peak = process.memoryUsage().rss;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const t0 = process.hrtime.bigint();
const { report } = await analyzeGaps([file], { topic: 'bench', zone: new Zone('UTC'), ...DEFAULTS });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);

const p = report.partitions[0];
const lines = report.inputs.dumps[0].linesRead;
console.log(`records ${p.records}, lines ${lines}, gaps ${p.gaps.length} (${p.gaps.map((g) => g.duration).join(', ')})`);
console.log(`${seconds.toFixed(2)} s, ${Math.round(p.records / seconds).toLocaleString('en')} records/s, ${Math.round(lines / seconds).toLocaleString('en')} lines/s, ${(bytes / 1e6 / seconds).toFixed(0)} MB/s`);
console.log(`peak RSS ${(peak / 1048576).toFixed(0)} MiB`);
if (!keep) rmSync(dir, { recursive: true, force: true });
