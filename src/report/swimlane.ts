import type { KeyEventJson } from '../model/report.js';
import type { ReportDoc } from './report-text.js';
import type { WindowJson } from '../model/window.js';
import { Zone } from '../time/zone.js';
import { esc } from './html-escape.js';
import { fullWindows } from './report-windows.js';
import { byNodeName, humanDuration, kindStyle, shortTime, subjectOf, utcOffsetOf, shownZone } from './report-text.js';

/**
 * The swimlane chart of the HTML report, as inline SVG: one lane per node
 * (then one per topic for partition windows), windows as bars coloured by
 * kind, key events as ticks, a time axis in the report's zone. Quiet
 * stretches no window covers (the hours between two tests) are cut out of
 * the axis and marked, so that minutes-long windows hours apart stay
 * visible. Ticks closer than a pixel on one lane merge into one, so the chart
 * stays readable at thousands of events. Positions are exposed as data-*
 * attributes (data-segments on the <svg>, data-start-ms on bars) so that a
 * test can check them.
 */

export const CHART = {
  width: 1200,
  labelWidth: 140,
  rightPad: 16,
  top: 34,
  laneHeight: 34,
  subRowHeight: 12,
  maxSubRows: 3,
  axisHeight: 40,
  breakWidth: 22,
  minSegmentWidth: 60,
  minBarWidth: 2,
} as const;

/** A stretch of time drawn linearly between two x positions. */
export interface Segment {
  t0: number;
  t1: number;
  x0: number;
  x1: number;
}

/** x of an instant on the segmented axis; instants in a cut-out stretch sit at its edge. */
export function xAt(segments: readonly Segment[], t: number): number {
  for (const s of segments) {
    if (t <= s.t1) {
      if (t <= s.t0) return s.x0;
      return s.x0 + ((t - s.t0) / (s.t1 - s.t0)) * (s.x1 - s.x0);
    }
  }
  return segments.at(-1)!.x1;
}

/** The shortest quiet stretch that breaks the time axis (longer where the chart spans more than 50 minutes). */
const QUIET_MIN_MS = 10 * 60_000;

/**
 * Busy stretches (windows, event instants) separated by a quiet stretch longer
 * than both 10 minutes and a fifth of the whole span become separate segments.
 */
export function buildSegments(busy: readonly [number, number][], x0: number, x1: number): Segment[] {
  const sorted = [...busy].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const total = Math.max(1, sorted.reduce((m, b) => Math.max(m, b[1]), -Infinity) - sorted[0]![0]);
  const quiet = Math.max(QUIET_MIN_MS, total / 5);
  const clusters: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = clusters.at(-1);
    if (last && s - last[1] <= quiet) last[1] = Math.max(last[1], e);
    else clusters.push([s, e]);
  }
  // Pad each cluster so that bars and ticks at its edges are not on the border.
  const padded = clusters.map(([s, e]) => {
    const pad = Math.max(30_000, (e - s) * 0.03);
    return [s - pad, e + pad] as [number, number];
  });
  const available = x1 - x0 - (padded.length - 1) * CHART.breakWidth - padded.length * CHART.minSegmentWidth;
  const sum = padded.reduce((n, [s, e]) => n + (e - s), 0);
  const out: Segment[] = [];
  let x = x0;
  for (const [s, e] of padded) {
    const w = CHART.minSegmentWidth + (available * (e - s)) / sum;
    // Whole milliseconds, so that every instant the chart names is one.
    out.push({ t0: Math.floor(s), t1: Math.ceil(e), x0: round(x), x1: round(x + w) });
    x += w + CHART.breakWidth;
  }
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;

const STEPS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

/** Axis ticks of one segment, at round wall-clock times of the zone. */
function axisTicks(seg: Segment, zone: Zone): { t: number; label: string }[] {
  const px = seg.x1 - seg.x0;
  const step = STEPS.find((st) => (px / ((seg.t1 - seg.t0) / st)) >= 75) ?? STEPS.at(-1)!;
  const out: { t: number; label: string }[] = [];
  const offset = zone.offsetAt(seg.t0) * 60_000;
  for (let local = Math.ceil((seg.t0 + offset) / step) * step; local - offset <= seg.t1; local += step) {
    const t = local - offset;
    const iso = zone.format(t);
    out.push({ t, label: step < 60_000 ? iso.slice(11, 19) : iso.slice(11, 16) });
  }
  return out;
}

interface Lane {
  key: string;
  /** cluster: windows of no one node (no controller, ZooKeeper unreachable from every broker). */
  kind: 'node' | 'topic' | 'cluster';
  label: string;
  bars: { w: WindowJson; i: number; sub: number }[];
  /** Key events as ticks, one per pixel column (in the order of their first row). */
  ticks: Map<number, Tick>;
  subRows: number;
}

/** The key-event rows of one pixel column of a lane: what its tick shows (not the rows: a report's are read back from a spool). */
interface Tick {
  /** The first row of the highest severity. */
  severity: string;
  count: number;
  /** Where the last of its runs ends. */
  runEnd: number;
  /** The first five rows (the title lists them) and how many there are. */
  first: KeyEventJson[];
  rows: number;
}

function laneKey(w: WindowJson): { key: string; kind: Lane['kind'] } {
  if (w.topic !== undefined) return { key: `topic:${w.topic}`, kind: 'topic' };
  // A window of no one node (ZooKeeper unreachable from every broker).
  if (w.node === undefined) return { key: 'cluster', kind: 'cluster' };
  return { key: `node:${w.node}`, kind: 'node' };
}

export interface ChartResult {
  /** The SVG's lines, made as they are asked for: joined with newlines, the chart (`svg`). */
  lines: () => Iterable<string>;
  readonly svg: string;
  lanes: number;
}

function chart(lines: () => Iterable<string>, lanes: number): ChartResult {
  return { lines, lanes, get svg() { return [...lines()].join('\n'); } };
}

export function renderSwimlane(r: ReportDoc): ChartResult {
  const zone = new Zone(shownZone(r));
  // The bars' titles quote the whole windows' evidence, read back as the bars are drawn.
  const full = fullWindows(r.windows);
  const times: [number, number][] = [];
  let tMax = -Infinity;
  for (const w of r.windows) {
    const s = Date.parse(w.start);
    const e = w.end === null ? s : Date.parse(w.end);
    tMax = Math.max(tMax, e);
    times.push([s, e]);
  }
  // The rows' spans, those that follow one another within QUIET_MIN_MS joined (they fall in one segment whatever the
  // others: buildSegments gives the same segments), not one pair per row (a report's rows are read back from a spool).
  let span: [number, number] | undefined;
  for (const e of r.timeline.rows) {
    const t = Date.parse(e.time);
    const u = Date.parse(e.lastTime);
    tMax = Math.max(tMax, u);
    if (span && t >= span[0] && t - span[1] <= QUIET_MIN_MS) {
      span[1] = Math.max(span[1], u);
    } else {
      if (span) times.push(span);
      span = [t, u];
    }
  }
  if (span) times.push(span);
  const gapBands = r.gaps.flatMap((p) => p.gaps.map((g) => ({ topic: p.topic, partition: p.partition, g })));
  for (const b of gapBands) times.push([b.g.before.createTime, b.g.after.createTime]);
  if (times.length === 0) return chart(() => ['<p>No windows and no key events to chart.</p>'], 0);
  // Open windows run to the last thing seen.
  const endOf = (w: WindowJson) => (w.end === null ? Math.max(tMax, Date.parse(w.start)) : Date.parse(w.end));
  r.windows.forEach((w, i) => { times[i]![1] = endOf(w); });

  const plotX0 = CHART.labelWidth;
  const plotX1 = CHART.width - CHART.rightPad;
  const segments = buildSegments(times, plotX0, plotX1);
  const x = (t: number) => round(xAt(segments, t));

  // Lanes: every node read (in name order), then a lane per topic with partition windows.
  const lanes = new Map<string, Lane>();
  for (const n of r.inputQuality.nodes) lanes.set(`node:${n}`, { key: `node:${n}`, kind: 'node', label: n, bars: [], ticks: new Map(), subRows: 1 });
  const topicLanes: Lane[] = [];
  r.windows.forEach((w, i) => {
    const { key, kind } = laneKey(w);
    let lane = lanes.get(key);
    if (!lane) {
      lane = { key, kind, label: kind === 'topic' ? w.topic! : kind === 'cluster' ? 'whole cluster' : w.node!, bars: [], ticks: new Map(), subRows: 1 };
      lanes.set(key, lane);
      if (kind === 'topic') topicLanes.push(lane);
    }
    lane.bars.push({ w, i, sub: 0 });
  });
  // Ticks: one per pixel column; their titles list what they fold.
  for (const e of r.timeline.rows) {
    const ticks = lanes.get(`node:${e.node}`)?.ticks;
    if (!ticks) continue;
    const col = Math.round(x(Date.parse(e.time)));
    const end = x(Date.parse(e.lastTime));
    const tick = ticks.get(col);
    if (!tick) {
      ticks.set(col, { severity: e.severity, count: e.count, runEnd: end, first: [e], rows: 1 });
      continue;
    }
    if ((RANK[e.severity] ?? 0) > (RANK[tick.severity] ?? 0)) tick.severity = e.severity;
    tick.count += e.count;
    tick.runEnd = Math.max(tick.runEnd, end);
    if (tick.first.length < TITLE_ROWS) tick.first.push(e);
    tick.rows++;
  }
  for (const b of gapBands) {
    const key = `topic:${b.topic}`;
    if (!lanes.has(key)) {
      const lane: Lane = { key, kind: 'topic', label: b.topic, bars: [], ticks: new Map(), subRows: 1 };
      lanes.set(key, lane);
      topicLanes.push(lane);
    }
  }
  const ordered = [
    ...[...lanes.values()].filter((l) => l.kind === 'cluster'),
    ...[...lanes.values()].filter((l) => l.kind === 'node').sort((a, b) => byNodeName(a.label, b.label)),
    ...topicLanes.sort((a, b) => byNodeName(a.label, b.label)),
  ];

  // Overlapping bars of a lane go to sub-rows (at most maxSubRows; beyond, they share the last).
  for (const lane of ordered) {
    const ends: number[] = [];
    for (const b of lane.bars) {
      const s = x(Date.parse(b.w.start));
      let sub = ends.findIndex((end) => end <= s);
      if (sub === -1) sub = Math.min(ends.length, CHART.maxSubRows - 1);
      ends[sub] = Math.max(ends[sub] ?? -Infinity, Math.max(x(endOf(b.w)), s + CHART.minBarWidth) + 1);
      b.sub = sub;
    }
    lane.subRows = Math.max(1, ends.length);
  }

  let y = CHART.top;
  const laneTops: number[] = [];
  for (const lane of ordered) {
    laneTops.push(y);
    y += laneHeightOf(lane);
  }
  const plotBottom = y;
  const height = plotBottom + CHART.axisHeight;

  // The SVG's lines made as they are written: the layout above, the bars' and ticks' text here.
  function* draw(): Generator<string> {
    yield `<svg xmlns="http://www.w3.org/2000/svg" class="swimlane" role="img" width="${CHART.width}" height="${height}" viewBox="0 0 ${CHART.width} ${height}" data-zone="${esc(shownZone(r))}" data-segments="${segments.map((s) => `${s.t0},${s.t1},${s.x0},${s.x1}`).join(';')}" data-plot-top="${CHART.top}" data-plot-bottom="${plotBottom}">`;
    yield `<title>Outage windows and key events per node, times in ${esc(shownZone(r))}</title>`;

    // Segment backgrounds and break marks.
    for (const [k, s] of segments.entries()) {
      yield `<rect class="segment" x="${s.x0}" y="${CHART.top}" width="${round(s.x1 - s.x0)}" height="${plotBottom - CHART.top}" fill="#fafafa" stroke="#ddd"/>`;
      const next = segments[k + 1];
      if (next) {
        const mid = round((s.x1 + next.x0) / 2);
        yield `<g class="break"><title>${esc(`${humanDuration(next.t0 - s.t1)} without windows or key events, cut from the axis`)}</title><path d="M${mid - 4},${CHART.top} l8,6 l-8,6 l8,6" fill="none" stroke="#999"/><text x="${mid}" y="${plotBottom + 30}" text-anchor="middle" font-size="10" fill="#777">⋯</text></g>`;
      }
    }

    // Axis.
    const firstIso = zone.format(segments[0]!.t0);
    yield `<text class="axis-date" x="${plotX0}" y="${CHART.top - 14}" font-size="12" fill="#333">${esc(firstIso.slice(0, 10))} (${esc(shownZone(r))}, UTC${esc(utcOffsetOf(firstIso))})</text>`;
    let lastDay = firstIso.slice(0, 10);
    for (const s of segments) {
      for (const tk of axisTicks(s, zone)) {
        const tx = x(tk.t);
        const day = zone.format(tk.t).slice(0, 10);
        const label = day !== lastDay ? `${day.slice(5)} ${tk.label}` : tk.label;
        lastDay = day;
        yield `<line class="gridline" x1="${tx}" x2="${tx}" y1="${CHART.top}" y2="${plotBottom}" stroke="#e5e5e5"/><text class="axis-label" x="${tx}" y="${plotBottom + 14}" text-anchor="middle" font-size="11" fill="#444" data-t="${tk.t}">${esc(label)}</text>`;
      }
    }

    // Lanes.
    for (const [li, lane] of ordered.entries()) {
      const top = laneTops[li]!;
      const h = laneHeightOf(lane);
      yield `<g class="lane" data-lane="${esc(lane.label)}" data-lane-kind="${lane.kind}" data-top="${top}" data-height="${h}">`;
      yield `<line x1="0" x2="${CHART.width}" y1="${top + h}" y2="${top + h}" stroke="#ddd"/>`;
      yield `<text class="lane-label" x="8" y="${top + 18}" font-size="12" fill="${lane.kind === 'node' ? '#222' : '#555'}"${lane.kind === 'topic' ? ' font-style="italic"' : ''}>${esc(lane.label)}</text>`;
      for (const b of lane.bars) {
        const s = Date.parse(b.w.start);
        const e = endOf(b.w);
        const x0 = x(s);
        const width = Math.max(CHART.minBarWidth, round(x(e) - x0));
        const by = top + 13 + b.sub * CHART.subRowHeight;
        const colour = kindStyle(b.w.kind).colour;
        yield `<a href="#w-${b.i + 1}"><rect class="bar" x="${x0}" y="${by}" width="${width}" height="${CHART.subRowHeight - 2}" rx="1.5" fill="${colour}"${b.w.end === null ? ' fill-opacity="0.55"' : ''} data-window="${b.i}" data-kind="${b.w.kind}" data-start-ms="${s}" data-end-ms="${b.w.end === null ? 'open' : e}"><title>${esc(barTitle(full.at(b.i), b.i))}</title></rect></a>`;
      }
      // Record gaps from the dumps: an outlined band under the topic's bars.
      for (const b of lane.kind === 'topic' ? gapBands.filter((x) => `topic:${x.topic}` === lane.key) : []) {
        const gx = x(b.g.before.createTime);
        const gw = Math.max(CHART.minBarWidth, round(x(b.g.after.createTime) - gx));
        yield `<rect class="gap" x="${gx}" y="${top + 3}" width="${gw}" height="6" fill="none" stroke="#555" stroke-dasharray="3 2" data-start-ms="${b.g.before.createTime}" data-end-ms="${b.g.after.createTime}"><title>${esc(`no record in ${b.topic}-${b.partition ?? '?'}: last committed CreateTime ${b.g.before.createTime} (${shortTime(b.g.before.time)}), next ${b.g.after.createTime} (${shortTime(b.g.after.time)}): ${b.g.duration}${b.g.estimatedMissing === null ? '' : `, ~${b.g.estimatedMissing} records never written`}`)}</title></rect>`;
      }
      for (const [col, tick] of lane.ticks) {
        const runEnd = Math.round(tick.runEnd);
        if (runEnd - col >= 2) yield `<line class="run" x1="${col}" x2="${runEnd}" y1="${top + 6}" y2="${top + 6}" stroke="${TICK_COLOUR[tick.severity]}" stroke-width="2" stroke-opacity="0.5"/>`;
        yield `<line class="tick" x1="${col}" x2="${col}" y1="${top + 2}" y2="${top + 10}" stroke="${TICK_COLOUR[tick.severity]}" stroke-width="2" data-count="${tick.count}"><title>${esc(tickTitle(tick))}</title></line>`;
      }
      yield '</g>';
    }

    yield '</svg>';
  }
  return chart(draw, ordered.length);
}

function laneHeightOf(lane: Lane): number {
  return Math.max(CHART.laneHeight, 15 + lane.subRows * CHART.subRowHeight + 5);
}

const RANK: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3, critical: 4 };
const TICK_COLOUR: Record<string, string> = { debug: '#aaa', info: '#888', warn: '#e67e22', error: '#c0392b', critical: '#7b241c' };

function barTitle(w: WindowJson, i: number): string {
  const lines = [
    `#${i + 1} ${w.kind} ${subjectOf(w)}: ${shortTime(w.start)} → ${w.end === null ? 'open at the end of the logs' : shortTime(w.end)} (${humanDuration(w.durationMs)})`,
    `${w.reason} [${w.confidence}]`,
    ...w.evidence.slice(0, 6).map((e) => `${e.file}:${e.line}  ${e.text}`),
  ];
  if (w.evidence.length > 6) lines.push(`… ${w.evidence.length - 6} more evidence lines in the appendix`);
  return lines.join('\n');
}

function tickTitle(tick: Tick): string {
  const lines = tick.first.map((e) => `${e.time.slice(11, 23)} ${e.node} [${e.severity}] ${e.message}${e.count > 1 ? ` ×${e.count}` : ''} — ${e.evidence.file}:${e.evidence.line}`);
  if (tick.rows > TITLE_ROWS) lines.push(`… and ${tick.rows - TITLE_ROWS} more rows (see the timeline table)`);
  return lines.join('\n');
}

/** Rows a tick's title lists. */
const TITLE_ROWS = 5;
