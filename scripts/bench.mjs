#!/usr/bin/env node
// npm run bench [-- --size 1G] [--scaling] [--rounds 3] [--keep]   (--help: the options)
//
// Generates realistic inputs with the project's own generators (a Kafka
// server.log, a ZooKeeper log, a DumpLogSegments --deep-iteration output),
// warms the page cache, then races kforensics against grep on them in the
// same process tree, alternating the tools round by round. Prints MB/s, the
// ratio to each grep, and peak RSS (GNU time), and checks that kforensics
// found exactly the events the generator wrote (and grep's alternation
// counted). Timings vary ±30 % on shared machines: compare ratios from one run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from './args.mjs';
import { parseSize } from './bench/random.mjs';
import { EVENT_PATTERNS, writeServerLog } from './bench/server-log.mjs';
import { writeZookeeperLog, EVENT_PATTERNS as ZK_PATTERNS } from './bench/zookeeper-log.mjs';
import { writeDump } from './bench/dump.mjs';
import { writeDenseLog } from './bench/dense-log.mjs';
import { fleetCase } from './bench/fleet.mjs';
import { hasScript, onTerminal } from './bench/tty.mjs';
import { printSummary } from './bench/summary.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
// Run as a user runs it (npx kforensics): the bin itself, with the Node flags of its first line.
const cli = join(repo, 'bin', 'run.js');
const { values } = scriptArgs(`Usage: npm run bench [-- --size SIZE] [--scaling] [--rounds N] [--keep]
       node scripts/bench.mjs [options]   (without the build npm run bench does first)

Generates a Kafka server.log, an event-dense Kafka log (12.5 % of its lines
events of many kinds), a ZooKeeper log and a DumpLogSegments output of about
SIZE each, then races kforensics against grep on them, round by round: every
mode (timeline table, --json, --format ndjson, windows, report, gap) with
MB/s, peak RSS, its ratio to --format ndjson and --format ndjson's to grep -c,
the first table row and progress on a terminal, and a check that kforensics
found exactly the events each generator wrote. Ends with Markdown tables of
the figures, each target marked met or not. Needs 4 × SIZE of free space in
the temp folder; 1G takes tens of minutes.

  --size SIZE   input size: 10M, 100M, 1G … (default 1G; 0 runs the fleet
                case alone)
  --scaling     run at 100M, 1G and 4G (instead of --size)
  --rounds N    rounds per case; the median is reported (default 3)
  --inputs LIST the logs every mode runs on, of project (the project's
                generator), dense (the event-dense one), zk (ZooKeeper)
                (default project,dense,zk)
  --fleet-size SIZE   the fleet case: per-host event files of NODES generated
                server.logs of SIZE each, merged (default 1G; 0 skips it);
                the raw logs are read on one machine for comparison when
                they total 2G or less, or with --fleet-compare
  --fleet-compare     compare with the raw logs whatever their size
  --fleet-nodes N     nodes in the fleet case (default 10)
  --keep        keep the generated inputs (their folder is printed)
  --build       run npm run build first (npm run bench passes it)
  --against BIN also run every mode with another build's bin/run.js (say, a
                checkout of main), alternating with this one
  -h, --help    this text`, {
  size: { type: 'string', default: '1G' },
  scaling: { type: 'boolean', default: false },
  rounds: { type: 'string', default: '3' },
  inputs: { type: 'string', default: 'project,dense,zk' },
  keep: { type: 'boolean', default: false },
  'fleet-size': { type: 'string', default: '1G' },
  'fleet-compare': { type: 'boolean', default: false },
  'fleet-nodes': { type: 'string', default: '10' },
  build: { type: 'boolean', default: false },
  against: { type: 'string' },
});
const flag = (name) => values[name] === true;
const rounds = Number(values.rounds);
const chosen = values.inputs.split(',').map((x) => x.trim()).filter(Boolean);
if (chosen.length === 0 || chosen.some((x) => !['project', 'dense', 'zk'].includes(x))) {
  process.stderr.write(`--inputs takes project, dense and zk, comma-separated; got ${values.inputs}\n`);
  process.exit(2);
}
const sizes = flag('scaling') ? ['100M', '1G', '4G'] : values.size === '0' ? [] : [values.size];
if (!(rounds >= 1) || sizes.some((s) => !(parseSize(s) > 0)) || !(Number(values['fleet-nodes']) >= 1) || !(values['fleet-size'] === '0' || parseSize(values['fleet-size']) > 0)) {
  process.stderr.write(`--rounds must be 1 or more and --size a size (10M, 1G …); got --rounds ${values.rounds} --size ${values.size}\n`);
  process.exit(2);
}
if (flag('build') && spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' }).status !== 0) process.exit(1);
const hasTime = existsSync('/usr/bin/time');
const hasLnav = spawnSync('sh', ['-c', 'command -v lnav'], { encoding: 'utf8' }).stdout.trim() !== '';
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;
const failures = [];

/** Runs a shell command; wall seconds from here, peak RSS (MB) from GNU time. */
function measure(command) {
  const timeFile = join(tmpdir(), `kf-bench-time-${process.pid}`);
  const argv = hasTime ? ['/usr/bin/time', '-f', '%M', '-o', timeFile, 'sh', '-c', command] : ['sh', '-c', command];
  const load = loadavg()[0];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !/grep/.test(command)) throw new Error(`${command} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const rssMb = hasTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024 : Number.NaN;
  if (hasTime) rmSync(timeFile, { force: true });
  return { seconds, rssMb, stdout: r.stdout.trim(), load };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Alternates the cases `rounds` times; median seconds, max RSS, last output, highest 1-minute load average seen at a start. */
function race(cases) {
  const results = new Map(cases.map((c) => [c.name, { ...c, times: [], rss: [], loads: [], out: '' }]));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const m = measure(c.command);
      const res = results.get(c.name);
      res.times.push(m.seconds);
      res.rss.push(m.rssMb);
      res.loads.push(m.load);
      res.out = m.stdout;
    }
  }
  return [...results.values()].map((r) => ({ ...r, seconds: median(r.times), rssMb: Math.max(...r.rss), load: Math.max(...r.loads) }));
}

const mb = (b) => (b / 1e6).toFixed(0);
const fmt = (s) => (s === null ? '-' : s.toFixed(2));

/** One measured case: seconds (median), MB/s, peak RSS, the load average, and what it is compared with. */
function row(name, bytes, { seconds, rssMb, load }, ratios = '') {
  const mbs = bytes / 1e6 / seconds;
  return `${name.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s ${mbs.toFixed(0).padStart(7)} MB/s ${Number.isNaN(rssMb) ? '      -' : `${rssMb.toFixed(0).padStart(6)} MB`}  load ${load.toFixed(1).padStart(4)}  ${ratios}`;
}

/** The modes compared with --format ndjson on each input. */
const MODES = [
  { name: 'ndjson', command: (bin, input) => `${bin} timeline ${input} --format ndjson 2>/dev/null | wc -l` },
  { name: 'table', command: (bin, input) => `${bin} timeline ${input} 2>/dev/null | wc -l` },
  { name: '--json', command: (bin, input) => `${bin} timeline ${input} --json 2>/dev/null | wc -c` },
  { name: 'windows', command: (bin, input) => `${bin} windows ${input} 2>/dev/null | wc -l` },
  { name: 'report', command: (bin, input, out) => `${bin} report ${input} --out ${out} 2>/dev/null; true` },
];

function check(ok, text) {
  console.log(`  ${ok ? 'ok  ' : 'MISS'} ${text}`);
  if (!ok) failures.push(text);
}

async function timeToFirstRow(command) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'ignore'] });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Number(process.hrtime.bigint() - t0) / 1e9);
      child.kill('SIGTERM');
    };
    child.stdout.once('data', finish);
    child.once('exit', finish);
  });
}

const summaries = [];
for (const size of sizes) {
  const bytes = parseSize(size);
  const dir = mkdtempSync(join(tmpdir(), 'kf-bench-'));
  const logDir = join(dir, 'broker');
  const denseDir = join(dir, 'dense');
  const zkDir = join(dir, 'zookeeper');
  for (const d of [logDir, denseDir, zkDir]) mkdirSync(d, { recursive: true });
  const log = join(logDir, 'server.log');
  const denseLog = join(denseDir, 'server.log');
  const zkLog = join(zkDir, 'zookeeper.log');
  const dump = join(dir, 'dump-bench-0.txt');
  console.log(`\n== ${size}: generating inputs in ${dir}`);
  const truth = await writeServerLog(log, bytes);
  const denseTruth = await writeDenseLog(denseLog, bytes);
  const zkTruth = await writeZookeeperLog(zkLog, bytes);
  const dumpTruth = await writeDump(dump, bytes);
  for (const f of [log, denseLog, zkLog, dump]) spawnSync('sh', ['-c', `cat ${q(f)} > /dev/null`]);
  const logBytes = statSync(log).size;
  const dumpBytes = statSync(dump).size;
  const pct = (n, d) => `${(n / d * 100).toFixed(1)} %`;
  console.log(`server.log ${mb(logBytes)} MB, ${truth.lines} lines, ${truth.events} events (${pct(truth.events, truth.lines)}); event-dense server.log ${mb(statSync(denseLog).size)} MB, ${denseTruth.lines} lines, ${denseTruth.events} events (${pct(denseTruth.events, denseTruth.lines)}, ${Object.keys(denseTruth.byRule).length} rules); ZooKeeper log ${mb(statSync(zkLog).size)} MB, ${zkTruth.lines} lines, ${zkTruth.events} events; dump ${mb(dumpBytes)} MB, ${dumpTruth.records} records, ${dumpTruth.gaps} gaps\n`);
  const results = race([
    { name: "grep -c 'Removed fetcher'", command: `grep -c 'Removed fetcher' ${q(log)}` },
    { name: 'LC_ALL=C grep -cE <event alternation>', command: `LC_ALL=C grep -cE ${q(EVENT_PATTERNS.join('|'))} ${q(log)}` },
    { name: 'kforensics timeline --format ndjson', command: `${q(cli)} timeline ${q(logDir)} --format ndjson 2>/dev/null | wc -l` },
    ...(hasLnav ? [{ name: "lnav -n -c ';SELECT count(*) FROM all_logs'", command: `lnav -n -c ';SELECT count(*) FROM all_logs' ${q(log)} > /dev/null 2>&1; true` }] : []),
  ]);
  const [grepLiteral, grepAlt, kf, lnav] = results;
  console.log(row(grepLiteral.name, logBytes, grepLiteral));
  console.log(row(grepAlt.name, logBytes, grepAlt));
  console.log(row(kf.name, logBytes, kf, `${(grepLiteral.seconds / kf.seconds * 100).toFixed(0)} % of grep -c; ${(grepAlt.seconds / kf.seconds).toFixed(2)}× grep -cE`));
  if (lnav) console.log(row(lnav.name, logBytes, lnav, `lnav ÷ kforensics = ${(lnav.seconds / kf.seconds).toFixed(2)} (target ≥ 3)`));

  const gap = race([
    { name: "grep -c 'isvalid: true'", command: `grep -c 'isvalid: true' ${q(dump)}` },
    { name: 'kforensics gap --json', command: `${q(cli)} gap --topic bench ${q(dump)} --json 2>/dev/null` },
  ]);
  console.log(row(gap[0].name, dumpBytes, gap[0]));
  console.log(row(gap[1].name, dumpBytes, gap[1], `${(gap[0].seconds / gap[1].seconds * 100).toFixed(0)} % of grep -c`));

  const gz = `${log}.gz`;
  spawnSync('sh', ['-c', `gzip -1 -c ${q(log)} > ${q(gz)}`]);
  const gzDir = join(dir, 'gz');
  spawnSync('sh', ['-c', `mkdir -p ${q(gzDir)} && mv ${q(gz)} ${q(gzDir)}/`]);
  const gzRace = race([
    { name: 'gzip -dc | wc -l', command: `gzip -dc ${q(join(gzDir, 'server.log.gz'))} | wc -l` },
    { name: 'kforensics timeline on server.log.gz', command: `${q(cli)} timeline ${q(gzDir)} --format ndjson 2>/dev/null | wc -l` },
  ]);
  console.log(row(gzRace[0].name, logBytes, gzRace[0]));
  console.log(row(gzRace[1].name, logBytes, gzRace[1], `gunzip + plain = ${(gzRace[0].seconds + kf.seconds).toFixed(2)} s`));
  rmSync(gzDir, { recursive: true, force: true });

  const lastHour = new Date(truth.lastTime - 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
  const ttfr = await timeToFirstRow(`${q(cli)} timeline ${q(logDir)} --format ndjson --since ${q(`${lastHour}Z`)}`);
  console.log(`${'time to first row, --since last hour'.padEnd(44)} ${ttfr.toFixed(2).padStart(7)} s`);

  const zk = race([
    { name: 'LC_ALL=C grep -cE <zk alternation>', command: `LC_ALL=C grep -cE ${q(ZK_PATTERNS.join('|'))} ${q(zkLog)}` },
    { name: 'kforensics timeline (ZooKeeper log)', command: `${q(cli)} timeline ${q(zkLog)} --format ndjson 2>/dev/null | wc -l` },
  ]);
  console.log(row(zk[0].name, statSync(zkLog).size, zk[0]));
  console.log(row(zk[1].name, statSync(zkLog).size, zk[1]));

  // Every mode on each input, against --format ndjson on the same input and grep -c on it, in the same run.
  const report = join(dir, 'report.md');
  const bins = [['', cli], ...(values.against ? [[' (against)', values.against]] : [])];
  const inputs = [
    { key: 'project', label: 'project generator', input: logDir, file: log, literal: 'Removed fetcher', truth, floor: 0.5 },
    { key: 'dense', label: 'event-dense', input: denseDir, file: denseLog, literal: 'Shrinking ISR', truth: denseTruth, floor: 0.25 },
    { key: 'zk', label: 'ZooKeeper', input: zkDir, file: zkLog, literal: 'Expiring session', truth: zkTruth, floor: 0.25 },
  ];
  const summary = { size, bytes, cells: new Map(), tty: new Map(), checks: [] };
  for (const { key, label, input, file, literal, truth: t, floor } of inputs.filter((i) => chosen.includes(i.key))) {
    const fileBytes = statSync(file).size;
    const modes = race([
      { name: `grep -c '${literal}'`, command: `grep -c ${q(literal)} ${q(file)}` },
      ...bins.flatMap(([tag, bin]) => MODES.map((m) => ({ name: `${m.name}${tag}`, command: m.command(q(bin), q(input), q(report)) }))),
    ]);
    const grep = modes[0];
    console.log(`\nevery mode on the ${label} log (${mb(fileBytes)} MB, ${t.lines} lines, ${t.events} events)`);
    console.log(row(grep.name, fileBytes, grep));
    for (const m of modes.slice(1)) {
      const tag = m.name.endsWith('(against)') ? ' (against)' : '';
      const base = modes.find((x) => x.name === `ndjson${tag}`);
      const note = m.name.startsWith('ndjson') ? `${(grep.seconds / m.seconds * 100).toFixed(0)} % of grep -c throughput` : `${(m.seconds / base.seconds).toFixed(2)}× ndjson`;
      console.log(row(`kforensics ${m.name}`, fileBytes, m, note));
      if (!tag) summary.cells.set(`${key} ${m.name}`, { ...m, bytes: fileBytes, vsNdjson: m.seconds / base.seconds, ofGrep: grep.seconds / m.seconds, floor });
    }
    const ndjson = modes.find((x) => x.name === 'ndjson');
    summary.checks.push([Number(ndjson.out) === t.events, `${label}: kforensics found ${ndjson.out} events; the generator wrote ${t.events}`]);
    if (hasScript) {
      const seen = await onTerminal(`${q(cli)} timeline ${q(input)}`);
      summary.tty.set(key, seen);
      console.log(`${'on a terminal: first table row'.padEnd(44)} ${fmt(seen.firstRow)} s; progress ${fmt(seen.progress)} s`);
    }
  }
  summary.cells.set('dump gap', { ...gap[1], bytes: dumpBytes, vsNdjson: (gap[1].seconds / dumpBytes) / (kf.seconds / logBytes), ofGrep: gap[0].seconds / gap[1].seconds });

  console.log('\nchecks');
  check(Number(kf.out) === truth.events, `kforensics found ${kf.out} events; the generator wrote ${truth.events}`);
  check(Number(grepAlt.out) === truth.events, `grep's alternation counted ${grepAlt.out}; the generator wrote ${truth.events}`);
  check(Number(grepLiteral.out) === truth.removedFetcher, `grep -c 'Removed fetcher' counted ${grepLiteral.out}; the generator wrote ${truth.removedFetcher}`);
  check(Number(gzRace[1].out) === truth.events, `the gzipped copy gives the same ${truth.events} events (${gzRace[1].out})`);
  check(Number(zk[1].out) === zkTruth.events && Number(zk[0].out) === zkTruth.events, `ZooKeeper log: kforensics ${zk[1].out}, grep ${zk[0].out}, generator ${zkTruth.events}`);
  for (const [ok, text] of summary.checks) check(ok, text);
  const share = denseTruth.events / denseTruth.lines;
  // (the generator's share is checked whether or not every mode ran on its log)
  check(share >= 0.1 && share <= 0.15, `event-dense log: ${pct(denseTruth.events, denseTruth.lines)} of its lines are events (10–15 %)`);
  const gapDoc = JSON.parse(gap[1].out);
  const found = gapDoc.partitions?.[0];
  check(found?.records === dumpTruth.records && found?.gaps.length === dumpTruth.gaps, `gap read ${found?.records} records and ${found?.gaps.length} gaps; the generator wrote ${dumpTruth.records} and ${dumpTruth.gaps}`);
  console.log('targets (reported, not enforced here)');
  console.log(`  timeline ≥ 1.5× faster than grep -cE: ${(grepAlt.seconds / kf.seconds).toFixed(2)}×`);
  console.log(`  gap ≥ 80 % of grep -c 'isvalid: true': ${(gap[0].seconds / gap[1].seconds * 100).toFixed(0)} %`);
  console.log(`  gzip ≤ gunzip + plain: ${gzRace[1].seconds.toFixed(2)} s vs ${(gzRace[0].seconds + kf.seconds).toFixed(2)} s`);
  console.log(`  time to first row with --since (target < 1 s): ${ttfr.toFixed(2)} s`);
  summaries.push(summary);
  if (!flag('keep')) rmSync(dir, { recursive: true, force: true });
}
const fleetNodes = Number(values['fleet-nodes']);
let fleet;
if (values['fleet-size'] !== '0') {
  const dir = mkdtempSync(join(tmpdir(), 'kf-bench-fleet-'));
  const fleetBytes = parseSize(values['fleet-size']);
  fleet = await fleetCase({ dir, nodes: fleetNodes, bytes: fleetBytes, cli, measure, q, check, compare: flag('fleet-compare') || fleetNodes * fleetBytes <= 2 * 2 ** 30 });
  if (!flag('keep')) rmSync(dir, { recursive: true, force: true });
}
printSummary({ summaries, fleet, rounds, hasScript });
if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
