import { firstPage } from './first-page.js';
import { mermaidCaption, mermaidGanttLines } from './mermaid.js';
import {
  displayPathOf, edgeSources, utcOffsetOf, valueRefs, humanDuration, kindStyle, rowSubject, shortTime, windowRows, shownZone,
  mapped, pieces, appendixLinks, firstOf, joinedParts, LineOfParts, untilQuoted, type ReportDoc,
} from './report-text.js';
import type { Pause } from './stream-json.js';
import { fullWindows } from './report-windows.js';

/**
 * The report as Markdown that renders on GitHub and GitLab: tables, and the
 * long parts (per-file accounting, quoted evidence) in <details>. Evidence
 * links point at `<a id="ev-N">` anchors in the appendix.
 */

/** Text in a table cell or paragraph: Markdown and HTML characters escaped, one line. */
export function mdText(s: string): string {
  // One pass, by character code (a replace calling back per match was ~2x slower on log messages, most of which have
  // brackets): a line break (LF, CR LF) becomes a space, which nothing else then changes; a lone CR stays.
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const how = c < 128 ? MD_HOW[c]! : KEEP;
    if (how === KEEP) continue;
    if (how === CR) {
      if (s.charCodeAt(i + 1) !== 10) continue;
      out += `${s.slice(from, i)} `;
      from = ++i + 1;
      continue;
    }
    out += s.slice(from, i) + (how === BACKSLASH ? `\\${s[i]}` : how === LT ? '&lt;' : how === GT ? '&gt;' : ' ');
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** What mdText does with each ASCII character: keep it, escape it with a backslash, an entity, or a line break. */
const KEEP = 0;
const BACKSLASH = 1;
const LT = 2;
const GT = 3;
const LF = 4;
const CR = 5;
const MD_HOW = new Uint8Array(128);
for (const c of '\\`*_[]|#~') MD_HOW[c.charCodeAt(0)] = BACKSLASH;
MD_HOW['<'.charCodeAt(0)] = LT;
MD_HOW['>'.charCodeAt(0)] = GT;
MD_HOW[10] = LF;
MD_HOW[13] = CR;

/** A log line as inline code in a table cell. */
function mdCode(s: string): string {
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  if (text.trim() === '') return '';
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

/** A window's start is an estimate between two instants: both, when they differ. */
function boundsNote(start: string, b: { earliest: string; latest: string } | null): string {
  if (!b || b.earliest === b.latest) return '';
  return `<br>(${b.earliest.slice(11, 23)}…${b.latest.slice(11, 23)})`;
}

/** A table's lines, one piece each, its rows made as they are written. */
function* table(head: readonly string[], rows: Iterable<readonly string[]>): Generator<string> {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  yield line(head);
  yield line(head.map(() => '---'));
  for (const row of rows) yield line(row);
}

/**
 * The document in pieces, to be joined with newlines, made as they are
 * written: a long report is never one string, nor an array of its rows' text.
 */
export function* markdownPieces(r: ReportDoc): Generator<string | LineOfParts | Pause> {
  const display = displayPathOf(r.paths);
  const cited = appendixLinks(r, mdText);
  const link = (file: string, line: number) => {
    const id = cited.id(file, line);
    return id ? `[${cited.label(file, line)}](#${id})` : cited.label(file, line);
  };
  const offset = utcOffsetOf(r.summary.incident?.start ?? firstOf(r.timeline.rows)?.time ?? '');

  yield `# ${mdText(r.title)}`;
  yield '';
  const meta = [
    `Times in **${shownZone(r)}**${offset ? ` (UTC${offset})` : ''}`,
    `inputs: ${r.paths.map((p) => mdCode(p)).join(', ')}`,
  ];
  if (r.topics.length > 0) meta.push(`topics: ${r.topics.map((t) => mdCode(t)).join(', ')}`);
  if (r.generatedAt) meta.push(`generated ${mdText(r.generatedAt)}`);
  yield* pieces(`${meta.join(' · ')}. Written by \`kforensics report\`: the evidence part of a postmortem; decisions are yours.`);
  if (r.paths.length === 1) yield* pieces('', `File paths are relative to ${mdCode(r.paths[0]!)}.`);
  yield* pieces('');

  // First page: what happened, when, where, impact, root-cause candidates, the chart.
  const s = r.summary;
  const page = firstPage(r);
  const refs = (ev: readonly { file: string; line: number }[]) => (ev.length === 0 ? '' : ` (${ev.map((e) => link(e.file, e.line)).join(', ')})`);
  yield* pieces('## Summary', '');
  yield* pieces(table(['', ''], [
    ['What happened', mdText(s.narrative)],
    ['When', mdText(page.when)],
    ['Where', mdText(page.where)],
    ['Impact', page.impact.map((i) => `${mdText(i.text)}${refs(i.evidence)}`).join('<br>')],
    ['Root-cause candidates', page.causes.length === 0
      ? 'none tied to this incident by the configuration read (see the findings)'
      : page.causes.map((c, i) => `${i + 1}. ${mdText(c.text)}${refs(c.evidence)}`).join('<br>')],
  ]), '');
  const gantt = mermaidGanttLines(r);
  if (gantt !== null) yield* pieces('```mermaid', gantt, '```', '', mdText(mermaidCaption(r)), '');
  const fold = (title: string) => pieces(`<details><summary><strong>${title}</strong></summary>`, '');
  const unfold = () => pieces('</details>', '');

  // Timeline
  yield* fold(`Timeline of key events (${r.timeline.rows.length} rows)`);
  yield* pieces('## Timeline of key events', '');
  yield* pieces(`${r.timeline.rows.length} rows from ${r.timeline.keyEvents} key events (of ${r.timeline.eventsRead} classified events read): ${mdText(r.timeline.selection)}.`, '');
  if (r.timeline.rows.length > 0) {
    yield* pieces(table(['Time', 'Node', 'Severity', 'Event', '×', 'Evidence'], mapped(r.timeline.rows, (e) => [
      shortTime(e.time).slice(0, 23), e.node, e.severity, `${mdText(e.message)} <sub>${mdText(e.rule)}</sub>`,
      e.count > 1 ? `×${e.count} until ${e.lastTime.slice(11, 23)}` : '', link(e.evidence.file, e.evidence.line),
    ])), '');
  }

  yield* unfold();

  // Windows
  yield* fold(`Windows (${r.windows.length})`);
  yield* pieces('## Windows', '');
  if (r.windows.length === 0) {
    yield* pieces('No outage windows found.', '');
  } else {
    yield* pieces(`Kinds: ${[...new Set(r.windows.map((w) => w.kind))].map((k) => `${k} (${kindStyle(k).label})`).join(', ')}. A start is the best estimate of its edge, with the earliest and latest it can be beneath it; [high/medium/low] says how sure the engine is of the window.`, '');
    // The whole windows read back in order, a row's at a time.
    const full = fullWindows(r.windows);
    yield* pieces(table(['#', 'Window', 'Node / partition', 'Start', 'End', 'Duration', 'Why', 'Evidence'], mapped(windowRows(r.windows), (row) => {
      const members = row.members.map((i) => full.at(i));
      const w = members[0]!;
      const noticed = boundsNote(w.start, w.startBounds);
      const end = members.length === 1 ? w.end : members.map((m) => m.end!).sort().at(-1)!;
      const duration = members.length === 1 ? humanDuration(w.durationMs) : `≤ ${humanDuration(members.reduce((m, w) => Math.max(m, w.durationMs ?? 0), -Infinity))}`;
      const evidence = members.flatMap((m) => m.evidence).slice(0, 6).map((e) => link(e.file, e.line));
      const more = members.reduce((n, m) => n + m.evidence.length, 0) - evidence.length;
      return [
        row.members.length === 1 ? String(row.first + 1) : `${row.first + 1}–${row.members.at(-1)! + 1}`,
        w.kind, mdText(rowSubject(r.windows, row)), `${shortTime(w.start)}${noticed}`, shortTime(end), duration,
        `${mdText(w.reason)} [${w.confidence}]${members.length === 1 ? mdText(edgeSources(w)) : ''}`, `${evidence.join('<br>')}${more > 0 ? `<br>+${more} more` : ''}`,
      ];
    })), '');
  }
  if (r.inputQuality.falseAlarms.length > 0) {
    yield* pieces(`Not used as evidence: ${r.inputQuality.falseAlarms.length} line(s) judged false alarms (see Input quality).`, '');
  }

  yield* unfold();

  // Gaps
  yield* fold(`Gaps (${r.gaps.reduce((n, p) => n + p.gaps.length, 0)} in ${r.gaps.length} partition dump${r.gaps.length === 1 ? '' : 's'})`);
  yield* pieces('## Gaps', '');
  if (r.gaps.length === 0) {
    yield* pieces(r.topics.length > 0
      ? `No DumpLogSegments output of ${r.topics.map((t) => mdCode(t)).join(', ')} in the inputs. To count the records never written, run \`kafka-dump-log.sh --deep-iteration --files <log dir>/<topic>-<partition>/*.log\` on the hosting broker and add its output.`
      : 'No DumpLogSegments output in the inputs: records never written are not counted (give `--topic` and the dump of its partitions).', '');
  } else {
    const gapRows = r.gaps.flatMap((p) => p.gaps.map((g) => [
      mdText(`${p.topic}-${p.partition ?? '?'}`), p.broker ?? '?',
      `offset ${g.before.offset}<br>CreateTime ${g.before.createTime}<br>${shortTime(g.before.time)}<br>${link(g.before.file, g.before.line)}`,
      `offset ${g.after.offset}<br>CreateTime ${g.after.createTime}<br>${shortTime(g.after.time)}<br>${link(g.after.file, g.after.line)}`,
      g.duration, g.estimatedMissing === null ? 'n/a' : `~${g.estimatedMissing} (${g.rate!.toFixed(4)}/s)`,
      `${g.leaderEpochBefore ?? '?'} → ${g.leaderEpochAfter ?? '?'}`,
    ]));
    if (gapRows.length > 0) {
      yield* pieces(table(['Partition', 'Broker', 'Last record before', 'First record after', 'Duration', 'Never written (estimate)', 'Leader epoch'], gapRows), '');
    }
    for (const p of r.gaps) {
      yield* pieces(`- ${mdText(`${p.topic}-${p.partition ?? '?'}`)}: offsets ${p.firstOffset}..${p.lastOffset}, ${p.records} records, ${p.timestampType}; ${p.gaps.length} gap(s); ${p.offsetDiscontinuities.length === 0 ? 'offsets consecutive' : `${p.offsetDiscontinuities.length} offset discontinuities`}. Rule: ${mdText(p.criterion)}.`);
    }
    yield* pieces('');
  }

  yield* unfold();

  // Findings
  yield* fold(`Configuration findings (${r.findings.length}) and recommended configuration`);
  yield* pieces('## Findings', '');
  if (r.findings.length === 0) yield* pieces('No configuration risk found in the describe snapshots and properties files read.', '');
  for (const [i, f] of r.findings.entries()) {
    yield* pieces(`### ${i + 1}. ${mdText(f.title)}: ${mdText(f.subject)} (${f.severity})`, '');
    yield* pieces(`- **Observed:** ${mdText(f.observed)}`);
    if (f.incident) yield* pieces(`- **In this incident:** ${mdText(f.incident)}${f.windows.length > 0 ? ` (window${f.windows.length === 1 ? '' : 's'} ${f.windows.map((w) => `#${w + 1}`).join(', ')})` : ''}`);
    yield* pieces(`- **Recommended:** ${mdText(f.recommended)}`);
    yield* pieces(`- **Why it matters:** ${mdText(f.why)}`);
    if (f.evidence.length > 0) yield* pieces(`- **Evidence:** ${f.evidence.map((e) => link(e.file, e.line)).join(', ')}`);
    yield* pieces(`- Check: \`${f.id}\``, '');
  }
  yield* pieces('### Recommended configuration', '');
  yield* pieces(table(['Setting', 'Scope', 'Recommended', 'Status', 'Note'], r.recommendations.map((x) => [
    mdCode(x.setting), x.scope, mdText(x.recommended), x.status === 'violated' ? '**violated**' : x.status,
    `${mdText(x.note)}${valueRefs(x).length > 0 ? `<br>${valueRefs(x).map((e) => link(e.file, e.line)).join(', ')}` : ''}`,
  ])), '');

  yield* unfold();

  // Input quality
  const q = r.inputQuality;
  yield* fold(`Input quality (${q.totals.files} files)`);
  yield* pieces('## Input quality', '');
  yield* pieces(`- **Time zone:** ${mdText(q.timeZoneNote)}`);
  yield* pieces(`- **Nodes:** ${q.nodes.join(', ') || 'none'}`);
  yield* pieces(`- **Files:** ${q.totals.files} (${Object.entries(q.kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
  yield* pieces(`- **Lines read from logs:** ${q.totals.linesRead} = ${q.totals.records} records + ${q.totals.folded} folded + ${q.totals.unrecognised} not understood (${q.totals.badTimestamps} with a bad timestamp); ${q.totals.outOfOrder} records out of time order`);
  if (q.dumps.length > 0) {
    yield* pieces(`- **Dumps:** ${q.dumps.map((d) => `${mdText(display(d.file))}: ${d.linesRead} lines = ${d.headers} header + ${d.batches} batch + ${d.records} record + ${d.summaries + d.indexEntries + d.noise + d.wrapped} other + ${d.unrecognised} not understood`).join('; ')}`);
  }
  yield* pieces(`- **Clock skew between nodes:** ${mdText(q.clockSkew.betweenNodes)}`);
  for (const p of q.clockSkew.producers) {
    yield* pieces(`- **Producer clock (${mdText(`${p.topic}-${p.partition ?? '?'}`)}):** ${p.backwards === 0 ? 'no CreateTime went backwards' : `${p.backwards} records went backwards, by up to ${humanDuration(p.maxBackwardsMs)}`}`);
  }
  for (const c of q.clockChanges ?? []) yield* pieces(`- **Change of clocks:** ${mdText(c)}`);
  if (q.falseAlarms.length > 0) {
    yield new LineOfParts(pieces('- **False alarms (not used):** ', joinedParts(q.falseAlarms, (f) => `${link(f.file, f.line)} — ${mdText(f.why)}`, '; ')));
  }
  yield* pieces('', `<details><summary>Accounting per file (${q.files.length} files)</summary>`, '');
  yield* pieces(table(['File', 'Kind', 'Node', 'Lines', 'Records', 'Folded', 'Not understood', 'Note'], mapped(q.files, (i) => [
    mdText(display(i.file)), i.kind, i.node ?? '', String(i.linesRead), String(i.records), String(i.folded), String(i.unrecognised),
    mdText(i.error ?? i.skipped ?? ''),
  ])));
  yield* pieces('', '</details>', '');
  yield* unfold();

  // Appendix
  yield* fold(`Appendix: evidence (${r.appendix.length} lines)`);
  yield* pieces('## Appendix: evidence', '');
  yield* pieces(`Every line this report cites, quoted as written (${r.appendix.length} lines; times in ${shownZone(r)}).`, '');
  yield* untilQuoted(r.appendix);
  yield* pieces(table(['', 'File:line', 'Node', 'Time', 'Line'], mapped(r.appendix, (a) => [
    `<a id="${a.id}"></a>${a.id}`, cited.label(a.file, a.line), a.node ?? '', a.time === null ? '' : a.time.slice(11, 23), mdCode(a.text),
  ])));
  yield* pieces('', '</details>', '');
}
