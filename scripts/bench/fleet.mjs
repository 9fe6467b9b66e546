// npm run bench's fleet case: per-host event files merged centrally.
//
// NODES brokers' server.logs of SIZE each (generated, a seed per node), each
// written to an event file as its host would (`timeline --format events`,
// classified only, and with --all for windows), then merged: `timeline`
// over the classified event files, `windows` and `report` over the --all
// ones, and (when asked, or small enough) `windows` over the raw
// logs on one machine, whose output must be the same. Prints sizes, times,
// peak RSS and the load, and returns them for the closing table.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeServerLog } from './server-log.mjs';

/**
 * @param {{ dir: string, nodes: number, bytes: number, cli: string, measure: (command: string) => { seconds: number, rssMb: number, stdout: string, load: number }, q: (s: string) => string, check: (ok: boolean, text: string) => void, compare: boolean }} o
 * @returns {Promise<{ nodes: number, bytes: number, steps: { step: string, seconds: number, rssMb: number, load: number, note: string }[] }>}
 */
export async function fleetCase({ dir, nodes, bytes, cli, measure, q, check, compare }) {
  const hosts = [];
  let rawBytes = 0;
  for (let n = 1; n <= nodes; n++) {
    const host = join(dir, `host-${n}`);
    mkdirSync(host, { recursive: true });
    await writeServerLog(join(host, 'server.log'), bytes, 1000 + n);
    rawBytes += statSync(join(host, 'server.log')).size;
    hosts.push(host);
  }
  const mb = (b) => (b / 1e6).toFixed(0);
  console.log(`\n== fleet: ${nodes} nodes × ${mb(bytes)} MB of server.log (${mb(rawBytes)} MB in all), in ${dir}`);
  const steps = [];
  const step = (name, seconds, rssMb, load, note = '') => {
    steps.push({ step: name, seconds, rssMb, load, note });
    console.log(`${name.padEnd(66)} ${seconds.toFixed(2).padStart(8)} s ${rssMb.toFixed(0).padStart(5)} MB  load ${load.toFixed(1).padStart(4)}  ${note}`);
  };
  /** The command's exit status, echoed after its output (a report or windows run may end 1: input incomplete). */
  const status = (r) => Number(/exit (\d+)$/.exec(r.stdout)?.[1] ?? Number.NaN);
  // The generated logs all name broker 2 in their lines: each host names its own node.
  const nodeMap = (host, n) => `--node-map ${q(`${host}=broker-${n}`)}`;
  const map = (flags, suffix) => {
    let seconds = 0;
    let rss = 0;
    let size = 0;
    let load = 0;
    const each = [];
    hosts.forEach((host, i) => {
      const out = join(dir, `host-${i + 1}${suffix}.ndjson`);
      const r = measure(`${q(cli)} timeline ${q(host)} ${nodeMap(host, i + 1)} --format events ${flags} > ${q(out)} 2>/dev/null`);
      seconds += r.seconds;
      each.push(r.seconds);
      rss = Math.max(rss, r.rssMb);
      load = Math.max(load, r.load);
      size += statSync(out).size;
    });
    each.sort((a, b) => a - b);
    return { seconds, rss, size, load, perHost: each[Math.floor(each.length / 2)], files: hosts.map((_, i) => join(dir, `host-${i + 1}${suffix}.ndjson`)) };
  };
  const files = (list) => list.map(q).join(' ');
  const classified = map('', '');
  step(`map: \`timeline --format events\`, ${nodes} hosts one after another`, classified.seconds, classified.rss, classified.load,
    `${classified.perHost.toFixed(1)} s a host (median); ${mb(classified.size)} MB of event files (${(classified.size / rawBytes * 100).toFixed(1)} % of the logs)`);
  const all = map('--all', '.all');
  step(`map: \`timeline --format events --all\`, ${nodes} hosts`, all.seconds, all.rss, all.load,
    `${all.perHost.toFixed(1)} s a host (median); ${mb(all.size)} MB of event files (${(all.size / rawBytes * 100).toFixed(1)} % of the logs)`);
  const mergeTimeline = measure(`${q(cli)} timeline ${files(classified.files)} --format ndjson 2>/dev/null | wc -l`);
  step(`reduce: \`timeline --format ndjson\` over the ${nodes} classified event files`, mergeTimeline.seconds, mergeTimeline.rssMb, mergeTimeline.load, `${mergeTimeline.stdout} events`);
  const merged = join(dir, 'windows-merged.json');
  const mergeWindows = measure(`${q(cli)} windows ${files(all.files)} --json 2>/dev/null > ${q(merged)}; echo exit $?`);
  let windowCount = 'no';
  try {
    windowCount = JSON.parse(readFileSync(merged, 'utf8')).windows?.length;
  } catch {
    // Not a document (the run failed): said by its exit status.
  }
  step(`reduce: \`windows\` over the ${nodes} \`--all\` event files`, mergeWindows.seconds, mergeWindows.rssMb, mergeWindows.load, `${windowCount} windows, exit ${status(mergeWindows)}`);
  const report = join(dir, 'report.md');
  const mergeReport = measure(`${q(cli)} report ${files(all.files)} --out ${q(report)} 2>/dev/null; echo exit $?`);
  const written = existsSync(report) ? `${mb(statSync(report).size)} MB report` : 'no report written';
  step(`reduce: \`report --out r.md\` over the ${nodes} \`--all\` event files`, mergeReport.seconds, mergeReport.rssMb, mergeReport.load, `${written}, exit ${status(mergeReport)}`);
  check(existsSync(report) && status(mergeReport) === 0, `fleet: report over the ${nodes} event files written (exit ${status(mergeReport)})`);
  if (!compare) {
    console.log('(the raw logs are not read on one machine for comparison at this size: --fleet-compare does)');
    return { nodes, bytes, steps };
  }
  const rawMaps = hosts.map((h, i) => nodeMap(h, i + 1)).join(' ');
  const rawFile = join(dir, 'windows-raw.json');
  const rawWindows = measure(`${q(cli)} windows ${files(hosts)} ${rawMaps} --json 2>/dev/null > ${q(rawFile)}; echo exit $?`);
  step(`for comparison: \`windows\` over the ${nodes} raw logs on one machine`, rawWindows.seconds, rawWindows.rssMb, rawWindows.load, `exit ${status(rawWindows)}`);
  const rawTimeline = measure(`${q(cli)} timeline ${files(hosts)} ${rawMaps} --format ndjson 2>/dev/null | wc -l`);
  step(`for comparison: \`timeline --format ndjson\` over the ${nodes} raw logs`, rawTimeline.seconds, rawTimeline.rssMb, rawTimeline.load, `${rawTimeline.stdout} events`);
  check(readFileSync(merged, 'utf8') === readFileSync(rawFile, 'utf8'), 'fleet: windows from the event files are those from the raw logs');
  check(mergeTimeline.stdout === rawTimeline.stdout, `fleet: ${mergeTimeline.stdout} events merged from the event files, ${rawTimeline.stdout} from the raw logs`);
  return { nodes, bytes, steps };
}
