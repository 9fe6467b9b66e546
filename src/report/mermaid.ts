import type { ReportDoc } from './report-text.js';
import type { WindowJson } from '../model/window.js';
import { byNodeName, humanDuration, kindStyle, rowSubject, utcOffsetOf, windowRows, shownZone } from './report-text.js';

/**
 * The swimlane of the HTML report as a Mermaid `gantt` block for the
 * Markdown report (GitHub and GitLab render it): one section per lane — nodes
 * in name order, then one per topic with partition windows — each window a
 * task from its start to its end, sub-second partition windows of one kind
 * starting together as one task (as in the windows table), each gap in a
 * dump a `done` task. Times are wall-clock times in the report's zone (the
 * title names it). Mermaid cannot cut quiet stretches out of its axis, nor
 * draw the key-event ticks: those stay in the HTML chart.
 */

/** Characters Mermaid reads as syntax in a task or section name. */
const name = (s: string) => s.replace(/[:;#%\r\n]/g, ' ').replace(/\s+/g, ' ').trim();
const wall = (iso: string) => iso.slice(0, 23);

export function mermaidGantt(r: ReportDoc): string | null {
  const lines = mermaidGanttLines(r);
  return lines === null ? null : [...lines].join('\n');
}

/**
 * The Gantt block's lines, made as they are asked for (a line per window:
 * tens of thousands in a gibibyte of logs, held all at once they were ~90 MB
 * of string pieces); null where there is nothing to draw.
 */
export function mermaidGanttLines(r: ReportDoc): Iterable<string> | null {
  const gaps = dumpGaps(r);
  if (r.windows.length === 0 && gaps.length === 0) return null;
  // Open windows run to the last instant the report shows, as in the HTML chart. Loops, not Math.max(...):
  // a spread of every key-event row overflows the call stack past ~120,000 rows.
  let last = -Infinity;
  let lastIso = '';
  const later = (iso: string) => {
    const t = Date.parse(iso);
    if (t > last) {
      last = t;
      lastIso = iso;
    }
  };
  for (const w of r.windows) {
    later(w.start);
    if (w.end !== null) later(w.end);
  }
  // The rows' latest end as noted when they were made (read back from their spool otherwise).
  const latestRow = r.timeline.rows.latestEnd;
  if (latestRow === undefined) for (const e of r.timeline.rows) later(e.lastTime);
  else if (latestRow !== null) later(latestRow);
  for (const b of gaps) later(b.g.after.time);

  const lanes = new Map<string, Lane>();
  const lane = (key: string, label: string, topic: boolean) => {
    let l = lanes.get(key);
    if (!l) lanes.set(key, (l = { label, topic, windows: [], gaps: [] }));
    return l;
  };
  r.windows.forEach((w, i) => {
    if (w.topic !== undefined) lane(`topic:${w.topic}`, w.topic, true).windows.push(i);
    else if (w.node === undefined) lane('cluster', 'whole cluster', false).windows.push(i);
    else lane(`node:${w.node}`, w.node, false).windows.push(i);
  });
  for (const b of gaps) lane(`topic:${b.topic}`, b.topic, true).gaps.push(b);
  // The cluster-wide lane, then nodes, then topics, as in the HTML chart.
  const rank = (l: { topic: boolean; label: string }, key: string) => (l.topic ? 2 : key === 'cluster' ? 0 : 1);
  const ordered = [...lanes].sort(([ka, a], [kb, b]) => rank(a, ka) - rank(b, kb) || byNodeName(a.label, b.label)).map(([, l]) => l);

  const first = r.windows[0]?.start ?? gaps[0]!.g.before.time;
  let earliest = Infinity;
  for (const w of r.windows) earliest = Math.min(earliest, Date.parse(w.start));
  for (const b of gaps) earliest = Math.min(earliest, Date.parse(b.g.before.time));
  const days = (last - earliest) / 86_400_000;
  return ganttLines(r, ordered, first, days, lastIso);
}

function* ganttLines(r: ReportDoc, ordered: readonly Lane[], first: string, days: number, lastIso: string): Generator<string> {
  yield* [
    'gantt',
    `  title Outage windows, ${name(shownZone(r))} (UTC${utcOffsetOf(first)})`,
    '  dateFormat YYYY-MM-DDTHH:mm:ss.SSS',
    `  axisFormat ${days >= 1 ? '%m-%d %H:%M' : '%H:%M'}`,
    '  todayMarker off',
  ];
  let gapId = 0;
  for (const l of ordered) {
    yield `  section ${name(l.label)}`;
    const ws = l.windows.map((i) => r.windows[i]!);
    for (const row of windowRows(ws)) {
      const members = row.members.map((k) => ws[k]!);
      const w = members[0]!;
      const end = (m: WindowJson) => (m.end === null ? lastIso : m.end);
      const stop = members.map(end).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
      const open = members.some((m) => m.end === null);
      const ids = row.members.map((k) => l.windows[k]! + 1);
      const label = `${kindStyle(w.kind).label} ${rowSubject(ws, row)}${open ? ' (open at the end of the logs)' : ''}`;
      yield `  ${name(label)} :${open ? 'active' : 'crit'}, w${ids[0]}, ${wall(w.start)}, ${wall(stop)}`;
    }
    for (const b of l.gaps) {
      yield `  ${name(`no record written ${b.topic}-${b.partition ?? '?'} ${b.g.duration}`)} :done, g${++gapId}, ${wall(b.g.before.time)}, ${wall(b.g.after.time)}`;
    }
  }
}

type DumpGap = ReturnType<typeof dumpGaps>[number];

/** A section of the chart: a node's, a topic's or the whole cluster's windows (by number) and a topic's gaps. */
interface Lane {
  label: string;
  topic: boolean;
  windows: number[];
  gaps: DumpGap[];
}

function dumpGaps(r: ReportDoc) {
  return r.gaps.flatMap((p) => p.gaps.map((g) => ({ topic: p.topic, partition: p.partition, g })));
}

/** The sentence under the chart: what it shows and what it leaves to the HTML report. */
export function mermaidCaption(r: ReportDoc): string {
  const span = r.summary.incident?.durationMs ?? null;
  return `One bar per window (sub-second partition windows starting together share one), times in ${shownZone(r)}${span === null ? '' : `, ${humanDuration(span)} in all`}; the HTML report adds the key events and cuts quiet stretches from the axis.`;
}
