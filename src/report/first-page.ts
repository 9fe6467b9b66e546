import type { LineRefJson } from '../model/report.js';
import type { WindowJson } from '../model/window.js';
import { byNodeName, humanDuration, kindStyle, shortTime, subjectOf, type ReportDoc } from './report-text.js';

/**
 * What the first page of a report says, as data both renderers print: when,
 * where, the impact and the root-cause candidates with their evidence. Window
 * kinds are told by their label, whatever the kind (no list of kinds here).
 */
export interface FirstPage {
  when: string;
  where: string;
  impact: { text: string; evidence: LineRefJson[] }[];
  causes: { text: string; evidence: LineRefJson[] }[];
}

/** Partition windows shorter than this are leaders moving during a failover: counted, not listed. */
const BLIP_MS = 1000;
export const LIST = 2;
/** Partitions a line of the first page names at most (the rest counted: the Windows section lists them all). */
const NAMED = 6;

/** `17:05:39…17:05:58 → 19:18:00`: an edge known only between two instants shows both. */
function span(w: WindowJson): string {
  const t = (iso: string) => shortTime(iso).slice(11, 19);
  const edge = (at: string, b: WindowJson['startBounds']) => (b && t(b.earliest) !== t(b.latest) ? `${t(b.earliest)}…${t(b.latest)}` : t(at));
  return `${edge(w.start, w.startBounds)} → ${w.end === null ? 'the end of the logs' : edge(w.end, w.endBounds)}`;
}

function sure(w: WindowJson): string {
  return `${w.confidence} confidence`;
}

/** Affected partitions, those with a window of a second or more first. */
function lastingFirst(r: ReportDoc): string[] {
  const lasting = new Set(r.windows.filter((w) => w.topic !== undefined && (w.durationMs === null || w.durationMs >= BLIP_MS)).map(subjectOf));
  return [...r.summary.partitionsAffected].sort((a, b) => Number(lasting.has(b)) - Number(lasting.has(a)));
}

/** A partition window of a second or more, with its duration and subject read once. */
export interface Lasting {
  w: WindowJson;
  duration: number;
  subject: string;
}

/**
 * The LIST longest so far, longest first (then by subject; of equals, the
 * first read): as a stable sort of them all would leave its first LIST.
 */
export function keepLongest(longest: Lasting[], x: Lasting): void {
  let at = longest.length;
  while (at > 0 && (x.duration - longest[at - 1]!.duration || byNodeName(longest[at - 1]!.subject, x.subject)) > 0) at--;
  if (at >= LIST) return;
  longest.splice(at, 0, x);
  if (longest.length > LIST) longest.pop();
}

export function firstPage(r: ReportDoc): FirstPage {
  const s = r.summary;
  const when = s.incident === null ? 'no outage window found in the logs read'
    : `${shortTime(s.incident.start)} → ${s.incident.end === null ? 'still open at the end of the logs' : shortTime(s.incident.end)}${s.incident.durationMs === null ? '' : ` (${humanDuration(s.incident.durationMs)})`}`;
  const where = [
    s.nodesAffected.length === 0 ? 'no node' : `nodes ${s.nodesAffected.join(', ')}`,
    s.partitionsAffected.length === 0 ? 'no partition'
      : `${s.partitionsAffected.length} partition${s.partitionsAffected.length === 1 ? '' : 's'}: ${lastingFirst(r).slice(0, NAMED).join(', ')}${s.partitionsAffected.length > NAMED ? ', …' : ''}`,
  ].join('; ');

  const impact: FirstPage['impact'] = [];
  // Partition windows by kind, the longest first; sub-second ones counted. Of each kind only the LIST longest are
  // kept as they are read (a list of every window of a kind, sorted, was garbage of a window's size per window).
  const byKind = new Map<string, { all: number; lasting: number; longest: Lasting[] }>();
  for (const w of r.windows) {
    if (w.topic === undefined) continue;
    let k = byKind.get(w.kind);
    if (!k) byKind.set(w.kind, (k = { all: 0, lasting: 0, longest: [] }));
    k.all++;
    if (w.durationMs !== null && w.durationMs < BLIP_MS) continue;
    k.lasting++;
    keepLongest(k.longest, { w, duration: w.durationMs ?? Infinity, subject: subjectOf(w) });
  }
  for (const [kind, k] of byKind) {
    const blips = k.all - k.lasting;
    const told = k.longest.map(({ w }) => `${subjectOf(w)} ${humanDuration(w.durationMs)} (${span(w)}, ${sure(w)})`);
    const more = [
      k.lasting > LIST ? `${k.lasting - LIST} more` : '',
      blips > 0 ? `${blips} under a second` : '',
    ].filter(Boolean).join(', ');
    // Kinds with sub-second windows only (leaders moving during a failover) are in the narrative, not here.
    if (k.lasting === 0) continue;
    impact.push({
      text: `${kindStyle(kind).label}: ${told.join('; ')}${more ? ` (${more})` : ''}`,
      evidence: k.longest.flatMap(({ w }) => w.evidence.slice(0, 1).map((e) => ({ file: e.file, line: e.line }))),
    });
  }
  // Node windows: one line, by kind, each with its longest window.
  const nodeKinds = new Map<string, WindowJson[]>();
  for (const w of r.windows) {
    if (w.topic !== undefined) continue;
    const ws = nodeKinds.get(w.kind);
    if (ws) ws.push(w);
    else nodeKinds.set(w.kind, [w]);
  }
  if (nodeKinds.size > 0) {
    const longest = [...nodeKinds.values()].map((ws) => ws.reduce((a, b) => ((b.durationMs ?? Infinity) > (a.durationMs ?? Infinity) ? b : a)));
    impact.push({
      text: [...nodeKinds].map(([kind, ws], k) => {
        const l = longest[k]!;
        return `${kindStyle(kind).label} ${ws.length === 1 ? '' : `×${ws.length}, the longest `}${subjectOf(l) || 'the cluster'} ${humanDuration(l.durationMs)} (${span(l)}, ${sure(l)})`;
      }).join('; '),
      evidence: longest.flatMap((w) => w.evidence.slice(0, 1).map((e) => ({ file: e.file, line: e.line }))),
    });
  }
  if (r.windows.length === 0) impact.push({ text: 'no outage window found in the logs read', evidence: [] });

  impact.push(s.recordsNeverWritten.length === 0
    ? { text: `records never written: ${r.gaps.length === 0 ? 'not measured (no DumpLogSegments output of the topic in the inputs)' : 'no gap the gap rule counts in the dumps (shorter pauses are not counted; see Gaps)'}`, evidence: [] }
    : {
      text: `records never written: ${s.recordsNeverWritten.map((m) => `${m.topic}-${m.partition ?? '?'} none between CreateTime ${m.lastBefore.createTime} (${shortTime(m.lastBefore.time).slice(11)}) and ${m.firstAfter.createTime} (${shortTime(m.firstAfter.time).slice(11)}), ${m.duration}${m.estimatedMissing === null ? '' : `, ~${m.estimatedMissing} at the pre-gap rate`}`).join('; ')}`,
      evidence: r.gaps.flatMap((p) => p.gaps.flatMap((g) => [{ file: g.before.file, line: g.before.line }, { file: g.after.file, line: g.after.line }])).slice(0, 4),
    });
  // The first NAMED two-leaders windows, and how many there are (an event-dense log has ~100,000 per gibibyte:
  // all of them on one line were megabytes of text no one reads at a glance).
  const truncated: WindowJson[] = [];
  let truncations = 0;
  for (const w of r.windows) {
    if (w.kind !== 'two-leaders') continue;
    if (truncations++ < NAMED) truncated.push(w);
  }
  const unnamed = truncations - truncated.length;
  // Counted from the dumps' copies and the truncation lines (gap analysis) where they were given.
  const counted = (r.lostWrites ?? []).filter((l) => l.count > 0);
  impact.push(counted.length > 0
    ? {
      text: `acknowledged writes lost: ${counted.map((l) => {
        const d = l.divergent[0];
        const where = d ? `, offsets ${d.fromOffset}–${d.toOffset} of epoch ${d.epoch}${d.from && d.to ? `, CreateTime ${shortTime(d.from).slice(11)}–${shortTime(d.to).slice(11)}` : ''}` : '';
        return `${l.topic}-${l.partition ?? '?'}: ${l.count}${where} (${l.countMethod})`;
      }).join('; ')}`,
      evidence: counted.flatMap((l) => [...l.divergent.slice(0, 1).map((d) => ({ file: d.firstLine.file, line: d.firstLine.line })), ...l.truncations.slice(0, 1).map((t) => ({ file: t.file, line: t.line }))]),
    }
    : truncated.length === 0
    ? { text: 'acknowledged writes lost: none shown (no partition truncated writes its leader had acknowledged, in the logs read; the producers\' delivery reports would tell for certain)', evidence: [] }
    : {
      text: `acknowledged writes lost: ${truncated.map((w) => `${subjectOf(w)} truncated when its cut-off leader rejoined (${span(w)}, ${sure(w)})`).join('; ')}${unnamed > 0 ? ` (${unnamed} more: see Windows)` : ''}`,
      evidence: truncated.flatMap((w) => w.evidence.slice(0, 1).map((e) => ({ file: e.file, line: e.line }))),
    });

  // Root-cause candidates: what set the incident off — the first node or cluster windows, with the source of
  // their start — then the settings that turned it into impact (findings tied to a window), then a producer
  // setting the windows betray.
  const causes: FirstPage['causes'] = [];
  // Each start read once (a brief's start is formatted when read), not twice per comparison; the first window of each
  // node found by a set, not by a search of the windows before it (quadratic in the node windows of a long log).
  const nodeWindows = r.windows.filter((w) => w.topic === undefined).map((w) => ({ w, start: Date.parse(w.start) }))
    .sort((a, b) => a.start - b.start);
  const triggers: WindowJson[] = [];
  const nodesSeen = new Set<string | undefined>();
  for (const { w } of nodeWindows) {
    if (triggers.length === 2) break;
    if (nodesSeen.has(w.node)) continue;
    nodesSeen.add(w.node);
    triggers.push(w);
  }
  for (const w of triggers) {
    causes.push({
      text: `${kindStyle(w.kind).label}: ${subjectOf(w) || 'the cluster'} from ${span(w)} (${humanDuration(w.durationMs)}, ${sure(w)}${w.startSource ? `; start: ${w.startSource.how}` : ''})`,
      evidence: (w.startSource?.evidence ? [w.startSource.evidence] : w.evidence.slice(0, 1)).map((e) => ({ file: e.file, line: e.line })),
    });
  }
  for (const f of r.findings.filter((x) => x.basis === 'setting' && x.incident !== null && x.windows.length > 0).slice(0, 2)) {
    causes.push({ text: `${f.title} (${f.subject}): ${f.incident}`, evidence: f.evidence.slice(0, 2) });
  }
  for (const row of r.recommendations.filter((x) => x.scope === 'producer' && x.status === 'violated')) {
    causes.push({ text: `producer ${row.setting} (recommended ${row.recommended}): ${row.note}`, evidence: [] });
  }
  return { when, where, impact, causes };
}
