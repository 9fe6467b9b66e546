import { firstPage } from './first-page.js';
import { esc } from './html-escape.js';
import {
  displayPathOf, edgeSources, utcOffsetOf, valueRefs, humanDuration, kindStyle, rowSubject, shortTime, windowRows, shownZone,
  mapped, pieces, appendixLinks, firstOf, joinedParts, LineOfParts, untilQuoted, type ReportDoc,
} from './report-text.js';
import type { Pause } from './stream-json.js';
import { fullWindows } from './report-windows.js';
import { renderSwimlane } from './swimlane.js';

/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script,
 * no network. The chart comes first, then the same sections as the Markdown
 * report; evidence links jump to the appendix, chart bars to their window row.
 */

const CSS = `
:root { --fg:#1d1d1f; --muted:#666; --line:#ddd; --bg:#fff; --soft:#f6f6f6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK KR", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 24px 32px 64px; max-width: 1320px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
code, .mono { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; }
.summary th { width: 190px; }
.summary td ul, .summary td ol { margin: 0; padding-left: 18px; }
details { margin: 10px 0; }
details > summary { cursor: pointer; }
details > summary h2 { display: inline; border: none; }
details[open] > summary h2 { border-bottom: 1px solid var(--line); }
.chart { overflow-x: auto; border: 1px solid var(--line); padding: 8px 0; background: #fff; }
.chart svg { display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 0; color: var(--muted); font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 8px; margin-right: 5px; background: var(--c); border-radius: 2px; }
.sev-critical, .sev-error { color: #a93226; font-weight: 600; }
.sev-warn { color: #b9770e; }
.finding { border: 1px solid var(--line); border-left: 5px solid #999; padding: 6px 12px; margin: 10px 0; }
.finding.high { border-left-color: #c0392b; }
.finding.medium { border-left-color: #e67e22; }
.finding.low { border-left-color: #95a5a6; }
.finding dl { display: grid; grid-template-columns: 150px 1fr; gap: 2px 10px; margin: 6px 0; }
.finding dt { color: var(--muted); }
.finding dd { margin: 0; }
.incident { font-weight: 600; }
.status-violated { color: #a93226; font-weight: 600; }
.status-ok { color: #1e8449; }
.status-not-checked { color: var(--muted); }
.appendix td.text { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; }
tr:target, .appendix tr:target td { background: #fff3b0; }
a { color: #1f5fa8; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { padding: 0; max-width: none; font-size: 10px; line-height: 1.3; }
  .chart { overflow: visible; border: none; }
  .chart svg { width: 100%; height: auto; max-height: 64mm; }
  .legend { font-size: 9px; gap: 8px; margin: 2px 0 0; }
  tr, .finding { break-inside: avoid; }
  h2 { break-after: avoid; margin-top: 12px; }
  h1 { font-size: 18px; }
  .first-page { break-after: page; }
  .first-page .summary th { width: 120px; }
  .first-page td, .first-page th { padding: 2px 5px; }
  .chart-note { display: none; }
  code, .mono, .summary small.mono { font-size: 8.5px; }
  .first-page h2 { font-size: 13px; margin: 6px 0 4px; }
  .meta { margin: 0 0 6px; }
  .first-page .summary { font-size: 9px; margin: 4px 0; }
  .chart { padding: 0; }
  a { color: inherit; text-decoration: none; }
}
`;

/**
 * The document in pieces, to be joined with newlines, made as they are
 * written: a long report is never one string, nor an array of its rows' text.
 */
export function* htmlPieces(r: ReportDoc): Generator<string | LineOfParts | Pause> {
  const display = displayPathOf(r.paths);
  const cited = appendixLinks(r, esc);
  const link = (file: string, line: number) => {
    const label = cited.label(file, line);
    const id = cited.id(file, line);
    return id ? `<a href="#${id}">${label}</a>` : label;
  };
  const offset = utcOffsetOf(r.summary.incident?.start ?? firstOf(r.timeline.rows)?.time ?? '');
  const chart = renderSwimlane(r);
  const kinds = [...new Set(r.windows.map((w) => w.kind))];

  yield* pieces('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(r.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  yield* pieces(`<h1>${esc(r.title)}</h1>`);
  const meta = [`Times in <strong>${esc(shownZone(r))}</strong>${offset ? ` (UTC${esc(offset)})` : ''}`, `inputs: ${r.paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}`];
  if (r.topics.length > 0) meta.push(`topics: ${r.topics.map((t) => `<code>${esc(t)}</code>`).join(', ')}`);
  if (r.generatedAt) meta.push(`generated ${esc(r.generatedAt)}`);
  if (r.paths.length === 1) meta.push(`file paths relative to <code>${esc(r.paths[0]!)}</code>`);
  yield* pieces(`<p class="meta">${meta.join(' · ')}. Written by <code>kforensics report</code>: the evidence part of a postmortem.</p>`);

  // First page: what happened, when, where, impact, root-cause candidates, the chart.
  const s = r.summary;
  const page = firstPage(r);
  const refs = (ev: readonly { file: string; line: number }[]) => (ev.length === 0 ? '' : ` <small class="mono">(${ev.map((e) => link(e.file, e.line)).join(', ')})</small>`);
  yield* pieces('<section class="first-page">');
  yield* pieces('<h2 id="summary">Summary</h2>', '<table class="summary"><tbody>');
  const row = (k: string, v: string) => `<tr><th>${k}</th><td>${v}</td></tr>`;
  yield row('What happened', `<span class="narrative">${esc(s.narrative)}</span>`);
  yield row('When', esc(page.when));
  yield row('Where', esc(page.where));
  yield row('Impact', `<ul>${page.impact.map((i) => `<li>${esc(i.text)}${refs(i.evidence)}</li>`).join('')}</ul>`);
  yield row('Root-cause candidates', page.causes.length === 0
    ? 'none tied to this incident by the configuration read (see the findings)'
    : `<ol>${page.causes.map((c) => `<li>${esc(c.text)}${refs(c.evidence)}</li>`).join('')}</ol>`);
  yield* pieces('</tbody></table>');

  // Chart
  // The chart's lines one piece each (thousands of bars and ticks are never one string).
  let line: string | undefined;
  for (const next of chart.lines()) {
    if (line !== undefined) yield line;
    line = line === undefined ? `<div class="chart" id="chart">${next}` : next;
  }
  yield `${line ?? '<div class="chart" id="chart">'}</div>`;
  yield* pieces(`<div class="legend">${kinds.map((k) => `<span style="--c:${kindStyle(k).colour}">${esc(kindStyle(k).label)}</span>`).join('')}<span style="--c:#e67e22">key event (tick; hover for the lines)</span>${r.gaps.some((p) => p.gaps.length > 0) ? '<span style="--c:repeating-linear-gradient(90deg,#555 0 3px,transparent 3px 5px)">no record written (gap in the dump)</span>' : ''}</div>`);
  yield* pieces('<p class="meta chart-note">One lane per node, then one per topic with partition windows. Bars start at the earliest the window can have begun; a faded bar is still open at the end of the logs. Stretches without windows or events are cut from the axis (⋯). Hover for evidence; click a bar for its row.</p>');
  yield* pieces('</section>');
  const fold = (id: string, title: string) => pieces(`<details id="${id}"><summary><h2>${title}</h2></summary>`);
  const unfold = () => pieces('</details>');

  // Timeline
  yield* fold('timeline', `Timeline of key events <small>(${r.timeline.rows.length} rows)</small>`);
  yield* pieces(`<p class="meta">${r.timeline.rows.length} rows from ${r.timeline.keyEvents} key events (of ${r.timeline.eventsRead} classified events read): ${esc(r.timeline.selection)}.</p>`);
  if (r.timeline.rows.length > 0) {
    yield* pieces('<table class="timeline"><thead><tr><th>Time</th><th>Node</th><th>Severity</th><th>Event</th><th>×</th><th>Evidence</th></tr></thead><tbody>');
    for (const e of r.timeline.rows) {
      yield* pieces(`<tr><td class="time mono">${esc(shortTime(e.time))}</td><td>${esc(e.node)}</td><td class="sev-${e.severity}">${e.severity}</td><td>${esc(e.message)} <small class="mono">${esc(e.rule)}</small></td><td class="num">${e.count > 1 ? `×${e.count}<br><small>until ${esc(e.lastTime.slice(11, 23))}</small>` : ''}</td><td class="mono">${link(e.evidence.file, e.evidence.line)}</td></tr>`);
    }
    yield* pieces('</tbody></table>');
  }

  yield* unfold();

  // Windows
  yield* fold('windows', `Windows <small>(${r.windows.length})</small>`);
  if (r.windows.length === 0) yield* pieces('<p>No outage windows found.</p>');
  else {
    yield* pieces('<table class="windows"><thead><tr><th>#</th><th>Window</th><th>Node / partition</th><th>Start</th><th>End</th><th>Duration</th><th>Why</th><th>Evidence</th></tr></thead><tbody>');
    // The whole windows read back in order, a row's at a time.
    const full = fullWindows(r.windows);
    for (const wr of windowRows(r.windows)) {
      const members = wr.members.map((i) => full.at(i));
      const w = members[0]!;
      const b = w.startBounds;
      const noticed = !b || b.earliest === b.latest ? ''
        : `<br><small>${esc(b.earliest.slice(11, 23))}…${esc(b.latest.slice(11, 23))}</small>`;
      const end = members.length === 1 ? w.end : members.map((m) => m.end!).sort().at(-1)!;
      const duration = members.length === 1 ? humanDuration(w.durationMs) : `≤ ${humanDuration(members.reduce((m, w) => Math.max(m, w.durationMs ?? 0), -Infinity))}`;
      const evidence = members.flatMap((m) => m.evidence).slice(0, 6).map((e) => link(e.file, e.line));
      const more = members.reduce((n, m) => n + m.evidence.length, 0) - evidence.length;
      const ids = wr.members.map((i) => `<span id="w-${i + 1}"></span>`).join('');
      const num = wr.members.length === 1 ? String(wr.first + 1) : `${wr.first + 1}–${wr.members.at(-1)! + 1}`;
      yield* pieces(`<tr><td class="num">${ids}${num}</td><td><span style="color:${kindStyle(w.kind).colour}">■</span> ${esc(w.kind)}</td><td>${esc(rowSubject(r.windows, wr))}</td><td class="time mono">${esc(shortTime(w.start))}${noticed}</td><td class="time mono">${esc(shortTime(end))}</td><td class="num">${esc(duration)}</td><td>${esc(w.reason)} <small>[${w.confidence}]${members.length === 1 ? esc(edgeSources(w)) : ''}</small></td><td class="mono">${evidence.join('<br>')}${more > 0 ? `<br>+${more} more` : ''}</td></tr>`);
    }
    yield* pieces('</tbody></table>');
  }

  yield* unfold();

  // Gaps
  yield* fold('gaps', `Gaps <small>(${r.gaps.reduce((n, p) => n + p.gaps.length, 0)} in ${r.gaps.length} partition dump${r.gaps.length === 1 ? '' : 's'})</small>`);
  if (r.gaps.length === 0) {
    yield* pieces(`<p>${r.topics.length > 0
      ? `No DumpLogSegments output of ${r.topics.map((t) => `<code>${esc(t)}</code>`).join(', ')} in the inputs. To count the records never written, run <code>kafka-dump-log.sh --deep-iteration --files &lt;log dir&gt;/&lt;topic&gt;-&lt;partition&gt;/*.log</code> on the hosting broker and add its output.`
      : 'No DumpLogSegments output in the inputs: records never written are not counted (give <code>--topic</code> and the dump of its partitions).'}</p>`);
  } else {
    yield* pieces('<table class="gaps"><thead><tr><th>Partition</th><th>Broker</th><th>Last record before</th><th>First record after</th><th>Duration</th><th>Never written (estimate)</th><th>Leader epoch</th></tr></thead><tbody>');
    for (const p of r.gaps) {
      for (const g of p.gaps) {
        yield* pieces(`<tr><td>${esc(`${p.topic}-${p.partition ?? '?'}`)}</td><td>${esc(p.broker ?? '?')}</td><td class="mono">offset ${g.before.offset}<br>CreateTime ${g.before.createTime}<br>${esc(shortTime(g.before.time))}<br>${link(g.before.file, g.before.line)}</td><td class="mono">offset ${g.after.offset}<br>CreateTime ${g.after.createTime}<br>${esc(shortTime(g.after.time))}<br>${link(g.after.file, g.after.line)}</td><td class="num">${esc(g.duration)}</td><td class="num">${g.estimatedMissing === null ? 'n/a' : `~${g.estimatedMissing}<br><small>${g.rate!.toFixed(4)}/s</small>`}</td><td class="num">${g.leaderEpochBefore ?? '?'} → ${g.leaderEpochAfter ?? '?'}</td></tr>`);
      }
    }
    yield* pieces('</tbody></table><ul>');
    for (const p of r.gaps) {
      yield* pieces(`<li>${esc(`${p.topic}-${p.partition ?? '?'}`)}: offsets ${p.firstOffset}..${p.lastOffset}, ${p.records} records, ${p.timestampType}; ${p.gaps.length} gap(s); ${p.offsetDiscontinuities.length === 0 ? 'offsets consecutive' : `${p.offsetDiscontinuities.length} offset discontinuities`}. Rule: ${esc(p.criterion)}.</li>`);
    }
    yield* pieces('</ul>');
  }

  yield* unfold();

  // Findings
  yield* fold('findings', `Configuration findings <small>(${r.findings.length}) and recommended configuration</small>`);
  if (r.findings.length === 0) yield* pieces('<p>No configuration risk found in the describe snapshots and properties files read.</p>');
  for (const [i, f] of r.findings.entries()) {
    yield* pieces(`<div class="finding ${f.severity}" id="f-${i + 1}"><h3>${i + 1}. ${esc(f.title)}: ${esc(f.subject)} <small>(${f.severity})</small></h3><dl>`);
    yield* pieces(`<dt>Observed</dt><dd>${esc(f.observed)}</dd>`);
    if (f.incident) yield* pieces(`<dt>In this incident</dt><dd class="incident">${esc(f.incident)}${f.windows.length > 0 ? ` (${f.windows.map((w) => `<a href="#w-${w + 1}">#${w + 1}</a>`).join(', ')})` : ''}</dd>`);
    yield* pieces(`<dt>Recommended</dt><dd>${esc(f.recommended)}</dd>`, `<dt>Why it matters</dt><dd>${esc(f.why)}</dd>`);
    if (f.evidence.length > 0) yield* pieces(`<dt>Evidence</dt><dd class="mono">${f.evidence.map((e) => link(e.file, e.line)).join(', ')}</dd>`);
    yield* pieces(`<dt>Check</dt><dd class="mono">${esc(f.id)}</dd></dl></div>`);
  }
  yield* pieces('<h3>Recommended configuration</h3>', '<table class="recommendations"><thead><tr><th>Setting</th><th>Scope</th><th>Recommended</th><th>Status</th><th>Note</th></tr></thead><tbody>');
  for (const x of r.recommendations) {
    yield* pieces(`<tr><td class="mono">${esc(x.setting)}</td><td>${x.scope}</td><td>${esc(x.recommended)}</td><td class="status-${x.status}">${x.status}</td><td>${esc(x.note)}${valueRefs(x).length > 0 ? `<br><small class="mono">${valueRefs(x).map((e) => link(e.file, e.line)).join(', ')}</small>` : ''}</td></tr>`);
  }
  yield* pieces('</tbody></table>');

  // Input quality
  const q = r.inputQuality;
  yield* unfold();
  yield* fold('input-quality', `Input quality <small>(${q.totals.files} files)</small>`);
  yield* pieces('<ul>');
  yield* pieces(`<li><strong>Time zone:</strong> ${esc(q.timeZoneNote)}</li>`);
  yield* pieces(`<li><strong>Nodes:</strong> ${esc(q.nodes.join(', ') || 'none')}</li>`);
  yield* pieces(`<li><strong>Files:</strong> ${q.totals.files} (${esc(Object.entries(q.kinds).map(([k, n]) => `${n} ${k}`).join(', '))})</li>`);
  yield* pieces(`<li><strong>Lines read from logs:</strong> ${q.totals.linesRead} = ${q.totals.records} records + ${q.totals.folded} folded + ${q.totals.unrecognised} not understood (${q.totals.badTimestamps} with a bad timestamp); ${q.totals.outOfOrder} records out of time order</li>`);
  for (const d of q.dumps) {
    yield* pieces(`<li><strong>Dump</strong> <code>${esc(display(d.file))}</code>: ${d.linesRead} lines = ${d.headers} header + ${d.batches} batch + ${d.records} record + ${d.summaries + d.indexEntries + d.noise + d.wrapped} other + ${d.unrecognised} not understood</li>`);
  }
  yield* pieces(`<li><strong>Clock skew between nodes:</strong> ${esc(q.clockSkew.betweenNodes)}</li>`);
  for (const p of q.clockSkew.producers) {
    yield* pieces(`<li><strong>Producer clock (${esc(`${p.topic}-${p.partition ?? '?'}`)}):</strong> ${p.backwards === 0 ? 'no CreateTime went backwards' : `${p.backwards} records went backwards, by up to ${esc(humanDuration(p.maxBackwardsMs))}`}</li>`);
  }
  for (const c of q.clockChanges ?? []) yield* pieces(`<li><strong>Change of clocks:</strong> ${esc(c)}</li>`);
  if (q.falseAlarms.length > 0) {
    yield new LineOfParts(pieces('<li><strong>False alarms (not used):</strong> ', joinedParts(q.falseAlarms, (f) => `${link(f.file, f.line)} — ${esc(f.why)}`, '; '), '</li>'));
  }
  yield* pieces('</ul>', '<table class="accounting"><thead><tr><th>File</th><th>Kind</th><th>Node</th><th>Lines</th><th>Records</th><th>Folded</th><th>Not understood</th><th>Note</th></tr></thead><tbody>');
  for (const i of q.files) {
    yield* pieces(`<tr><td class="mono">${esc(display(i.file))}</td><td>${esc(i.kind)}</td><td>${esc(i.node ?? '')}</td><td class="num">${i.linesRead}</td><td class="num">${i.records}</td><td class="num">${i.folded}</td><td class="num">${i.unrecognised}</td><td>${esc(i.error ?? i.skipped ?? '')}</td></tr>`);
  }
  yield* pieces('</tbody></table>');

  yield* unfold();

  // Appendix
  yield* fold('appendix', `Appendix: evidence <small>(${r.appendix.length} lines)</small>`);
  yield* pieces(`<p class="meta">Every line this report cites, quoted as written (${r.appendix.length} lines; times in ${esc(shownZone(r))}).</p>`);
  yield* pieces('<table class="appendix"><thead><tr><th></th><th>File:line</th><th>Node</th><th>Time</th><th>Line</th></tr></thead><tbody>');
  yield* untilQuoted(r.appendix);
  for (const a of r.appendix) {
    yield* pieces(`<tr id="${a.id}"><td class="mono">${a.id}</td><td class="mono">${cited.label(a.file, a.line)}</td><td>${esc(a.node ?? '')}</td><td class="time mono">${a.time === null ? '' : esc(a.time.slice(11, 23))}</td><td class="text">${esc(a.text)}</td></tr>`);
  }
  yield* pieces('</tbody></table>');
  yield* unfold();
  yield* pieces('</body>', '</html>', '');
}
