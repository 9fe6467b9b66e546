// npm run bench's closing tables, in Markdown for the README: every mode on
// each input, each figure marked against its target (met ✓, not met ✗),
// then the fleet case, with the date, the machine and the load.
import { cpus, totalmem } from 'node:os';

/** The targets every mode is held to. */
export const TARGETS = { vsNdjson: 1.5, rssMb: 150, firstRowSeconds: 1, progressSeconds: 0.5 };

const INPUTS = [['project', 'project generator'], ['dense', 'event-dense'], ['zk', 'ZooKeeper']];
const MODE_LABELS = [['ndjson', '`timeline --format ndjson`'], ['table', '`timeline` (table)'], ['--json', '`timeline --json`'], ['windows', '`windows`'], ['report', '`report --out r.md`']];
const mark = (ok) => (ok ? '✓' : '✗');

export function machine() {
  const c = cpus();
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${c.length} CPUs (${c[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/**
 * @param {{ summaries: { size: string, bytes: number, cells: Map<string, any>, tty: Map<string, { firstRow: number | null, progress: number | null }> }[], fleet?: { nodes: number, bytes: number, steps: { step: string, seconds: number, rssMb: number, load: number, note: string }[] }, rounds: number, hasScript: boolean }} o
 */
export function printSummary({ summaries, fleet, rounds, hasScript }) {
  const missed = [];
  const out = [];
  out.push(`\n## Summary (Markdown; ${machine()})`);
  out.push(`Medians of ${rounds} run(s), peak RSS the largest; the load is the highest 1-minute load average at the start of a run. Targets: every mode within ${TARGETS.vsNdjson}× of --format ndjson on the same input, peak RSS ≤ ${TARGETS.rssMb} MB, --format ndjson at ≥ 50 % of grep -c's throughput (project generator) or ≥ 25 % (event-dense, ZooKeeper), first table row on a terminal ≤ ${TARGETS.firstRowSeconds} s (at 1 GiB), progress ≤ ${TARGETS.progressSeconds} s.`);
  for (const s of summaries) {
    const at1G = s.bytes >= 2 ** 30;
    out.push('', `### ${s.size} (each input ~${(s.bytes / 1e6).toFixed(0)} MB)`, '');
    out.push(`| mode | ${INPUTS.map(([, l]) => l).join(' | ')} |`, `|---|${INPUTS.map(() => '---').join('|')}|`);
    for (const [mode, label] of MODE_LABELS) {
      const cells = INPUTS.map(([key, input]) => {
        const c = s.cells.get(`${key} ${mode}`);
        if (!c) return '-';
        const rssOk = c.rssMb <= TARGETS.rssMb;
        if (!rssOk) missed.push(`${s.size} ${input} ${mode}: peak RSS ${c.rssMb.toFixed(0)} MB`);
        const rss = `${c.rssMb.toFixed(0)} MB ${mark(rssOk)}`;
        if (mode === 'ndjson') {
          const ok = c.ofGrep >= c.floor;
          if (!ok) missed.push(`${s.size} ${input} ndjson: ${(c.ofGrep * 100).toFixed(0)} % of grep -c (≥ ${c.floor * 100} %)`);
          return `${c.seconds.toFixed(2)} s (${(c.ofGrep * 100).toFixed(0)} % of grep -c ${mark(ok)}), ${rss}, load ${c.load.toFixed(1)}`;
        }
        const ok = c.vsNdjson <= TARGETS.vsNdjson;
        if (!ok) missed.push(`${s.size} ${input} ${mode}: ${c.vsNdjson.toFixed(2)}× ndjson`);
        return `${c.seconds.toFixed(2)} s (${c.vsNdjson.toFixed(2)}× ${mark(ok)}), ${rss}, load ${c.load.toFixed(1)}`;
      });
      out.push(`| ${label} | ${cells.join(' | ')} |`);
    }
    const gap = s.cells.get('dump gap');
    if (gap) {
      const ok = gap.vsNdjson <= TARGETS.vsNdjson && gap.rssMb <= TARGETS.rssMb;
      if (!ok) missed.push(`${s.size} gap: ${gap.vsNdjson.toFixed(2)}× ndjson's time per byte, ${gap.rssMb.toFixed(0)} MB`);
      out.push(`| \`gap --json\` on a ${(gap.bytes / 1e6).toFixed(0)} MB dump | ${gap.seconds.toFixed(2)} s (${gap.vsNdjson.toFixed(2)}× ndjson's time per byte on the project log ${mark(gap.vsNdjson <= TARGETS.vsNdjson)}; ${(gap.ofGrep * 100).toFixed(0)} % of grep -c), ${gap.rssMb.toFixed(0)} MB ${mark(gap.rssMb <= TARGETS.rssMb)}, load ${gap.load.toFixed(1)} | | |`);
    }
    if (hasScript) {
      const tty = (f, limit, what) => INPUTS.map(([key, input]) => {
        const seen = s.tty.get(key);
        if (!seen) return '-';
        const v = f === 'feedback' ? Math.min(seen?.firstRow ?? Infinity, seen?.progress ?? Infinity) : seen?.[f] ?? null;
        const shown = v === null || v === Infinity ? null : v;
        const judged = f === 'feedback' || (f === 'firstRow' && at1G);
        const ok = shown !== null && shown <= limit;
        if (!ok && judged) missed.push(`${s.size} ${input}: ${what} ${shown === null ? 'not seen' : `${shown.toFixed(2)} s`}`);
        return shown === null ? `not seen${judged ? ` ${mark(false)}` : ''}` : `${shown.toFixed(2)} s ${judged ? mark(ok) : ''}`.trim();
      }).join(' | ');
      out.push(`| first table row on a terminal | ${tty('firstRow', TARGETS.firstRowSeconds, 'first table row')} |`);
      out.push(`| progress line on a terminal | ${tty('progress', Infinity, 'progress')} |`);
      out.push(`| first output on a terminal (progress or row) | ${tty('feedback', TARGETS.progressSeconds, 'first progress line or row')} |`);
    }
  }
  if (fleet) {
    out.push('', `### Fleet: ${fleet.nodes} nodes × ${(fleet.bytes / 2 ** 20).toFixed(0)} MiB of server.log, per-host event files merged`, '');
    out.push('| step | time | peak RSS | load | output |', '| --- | ---: | ---: | ---: | --- |');
    for (const st of fleet.steps) out.push(`| ${st.step} | ${st.seconds.toFixed(1)} s | ${st.rssMb.toFixed(0)} MB | ${st.load.toFixed(1)} | ${st.note} |`);
  }
  out.push('', missed.length === 0 ? 'Every target met.' : `Targets not met (${missed.length}):`);
  for (const m of missed) out.push(`- ${m}`);
  console.log(out.join('\n'));
}
