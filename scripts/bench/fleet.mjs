// npm run bench's fleet case: per-host event files merged centrally.
//
// NODES brokers' server.logs of SIZE each (generated, a seed per node), each
// written to an event file as its host would (`timeline --format events`,
// classified only, and with --all for windows), then merged: `timeline`
// over the classified event files, `windows` over the --all ones, beside
// `windows` over the raw logs (whose output must be the same). Prints sizes,
// times and peak RSS.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeServerLog } from './server-log.mjs';

/**
 * @param {{ dir: string, nodes: number, bytes: number, cli: string, measure: (command: string) => { seconds: number, rssMb: number, stdout: string }, q: (s: string) => string, check: (ok: boolean, text: string) => void }} o
 */
export async function fleetCase({ dir, nodes, bytes, cli, measure, q, check }) {
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
  // The generated logs all name broker 2 in their lines: each host names its own node.
  const nodeMap = (host, n) => `--node-map ${q(`${host}=broker-${n}`)}`;
  const map = (flags, suffix) => {
    let seconds = 0;
    let rss = 0;
    let size = 0;
    hosts.forEach((host, i) => {
      const out = join(dir, `host-${i + 1}${suffix}.ndjson`);
      const r = measure(`${q(cli)} timeline ${q(host)} ${nodeMap(host, i + 1)} --format events ${flags} > ${q(out)} 2>/dev/null`);
      seconds += r.seconds;
      rss = Math.max(rss, r.rssMb);
      size += statSync(out).size;
    });
    return { seconds, rss, size, files: hosts.map((_, i) => join(dir, `host-${i + 1}${suffix}.ndjson`)) };
  };
  const classified = map('', '');
  const all = map('--all', '.all');
  const row = (name, seconds, rss, note = '') => console.log(`${name.padEnd(58)} ${seconds.toFixed(2).padStart(7)} s ${rss.toFixed(0).padStart(5)} MB  ${note}`);
  row(`map: timeline --format events, ${nodes} hosts one after another`, classified.seconds, classified.rss, `${mb(classified.size)} MB of event files (${(classified.size / rawBytes * 100).toFixed(1)} % of the logs)`);
  row(`map: timeline --format events --all, ${nodes} hosts`, all.seconds, all.rss, `${mb(all.size)} MB of event files (${(all.size / rawBytes * 100).toFixed(1)} % of the logs)`);
  const files = (list) => list.map(q).join(' ');
  const mergeTimeline = measure(`${q(cli)} timeline ${files(classified.files)} --format ndjson 2>/dev/null | wc -l`);
  row(`reduce: timeline over ${nodes} event files (classified)`, mergeTimeline.seconds, mergeTimeline.rssMb, `${mergeTimeline.stdout} events`);
  const mergeWindows = measure(`${q(cli)} windows ${files(all.files)} --json 2>/dev/null > ${q(join(dir, 'windows-merged.json'))}`);
  row(`reduce: windows over ${nodes} event files (--all)`, mergeWindows.seconds, mergeWindows.rssMb);
  const rawMaps = hosts.map((h, i) => nodeMap(h, i + 1)).join(' ');
  const rawWindows = measure(`${q(cli)} windows ${files(hosts)} ${rawMaps} --json 2>/dev/null > ${q(join(dir, 'windows-raw.json'))}`);
  row(`windows over the ${nodes} raw logs (one machine)`, rawWindows.seconds, rawWindows.rssMb);
  const rawTimeline = measure(`${q(cli)} timeline ${files(hosts)} ${rawMaps} --format ndjson 2>/dev/null | wc -l`);
  row(`timeline over the ${nodes} raw logs (one machine)`, rawTimeline.seconds, rawTimeline.rssMb, `${rawTimeline.stdout} events`);
  check(readFileSync(join(dir, 'windows-merged.json'), 'utf8') === readFileSync(join(dir, 'windows-raw.json'), 'utf8'), 'fleet: windows from the event files are those from the raw logs');
  check(mergeTimeline.stdout === rawTimeline.stdout, `fleet: ${mergeTimeline.stdout} events merged from the event files, ${rawTimeline.stdout} from the raw logs`);
}
