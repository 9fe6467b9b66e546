import { colour as ansis } from '../cli/colour.js';
import type { WindowJson, WindowsDocJson } from '../model/window.js';
import { Zone } from '../time/zone.js';
import { BOXED, FixedTable } from './fixed-table.js';

function duration(ms: number | null): string {
  if (ms === null) return 'still open';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(sec).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return ms < 1000 ? `${ms} ms` : `${sec}s`;
}

/** `2022-10-05T17:05:39.869+09:00` → `2022-10-05 17:05:39.869` (the zone is in the header). */
function short(iso: string | null, zone?: Zone): string {
  if (iso === null) return '(open at end of logs)';
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  // A local hour that happened twice: its offset tells the passes apart.
  if (!zone || iso.length < 29) return text;
  const offset = iso.slice(23);
  const minutes = (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return `${text}${zone.passOffset(Date.parse(`${iso.slice(0, 23)}Z`), minutes)}`;
}

function subject(w: WindowJson): string {
  if (w.topic !== undefined) return `${w.topic}-${w.partition}${w.node ? ` on ${w.node}` : ''}`;
  return w.node ?? '';
}

/** An edge, and the two instants it lies between when it is an estimate (see its source). */
function edgeText(at: string | null, bounds: WindowJson['startBounds'], zone: Zone): string {
  if (at === null || !bounds || bounds.earliest === bounds.latest) return short(at, zone);
  return `${short(at, zone)}\n(${short(bounds.earliest).slice(11, 19)}…${short(bounds.latest).slice(11, 19)})`;
}

const BURST_MS = 1000;

/** A row: one window, or a burst of sub-second partition windows of one kind. */
interface Row {
  first: WindowJson;
  members: WindowJson[];
}

/**
 * A controller failing over moves every partition of a dead broker through
 * OfflinePartition for a few milliseconds: dozens of windows that say one
 * thing. Sub-second partition windows of one kind starting within a second
 * of each other share a row.
 */
function* rows(windows: Iterable<WindowJson>): Generator<Row> {
  const brief = (w: WindowJson) => w.topic !== undefined && w.durationMs !== null && w.durationMs < BURST_MS;
  let last: Row | undefined;
  for (const w of windows) {
    if (last && brief(w) && brief(last.first) && last.first.kind === w.kind &&
      Date.parse(w.start) - Date.parse(last.first.start) < BURST_MS) {
      last.members.push(w);
    } else {
      if (last) yield last;
      last = { first: w, members: [w] };
    }
  }
  if (last) yield last;
}

function burstSubject(members: readonly WindowJson[]): string {
  const names = members.map(subject);
  return `${members.length} partitions: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
}

/** Rows of the windows table rendered a block at a time. */
const ROWS_PER_BLOCK = 200;

/**
 * The windows as a table a person reads at a glance (evidence stays in
 * --json), in blocks to print one after the other, lines apart: tens of
 * thousands of windows are never one string. `windows`: the document's own,
 * or the windows read as they come (then `doc` is the document's head: a
 * table of any length with a block's windows in memory at a time). Of the
 * false alarms only their number is said.
 */
export function* windowsTableBlocks(
  doc: Pick<WindowsDocJson, 'timeZone' | 'displayTimeZone'> & { falseAlarms: { readonly length: number } },
  windows: Iterable<WindowJson> = (doc as WindowsDocJson).windows,
): Generator<string> {
  const confidence = (w: WindowJson) => (w.confidence === 'low' ? ansis.dim : w.confidence === 'high' ? ansis.bold : (t: string) => t)(`[${w.confidence}]`);
  const kind = (w: WindowJson) => (w.end === null ? ansis.red(w.kind) : ansis.yellow(w.kind));
  const zone = doc.displayTimeZone ?? doc.timeZone;
  const found = rows(windows);
  let next = found.next();
  if (next.done) {
    yield `No outage windows found (times in ${zone}).`;
    return;
  }
  const tz = new Zone(zone);
  // Boxed, word-wrapped, as cli-table3 draws it (fixed-table.ts).
  const table = new FixedTable({ widths: [19, 22, 25, 25, 13, 60], chars: BOXED, paddingLeft: 1, paddingRight: 1 });
  let body: string[][] = [['Window', 'Node / partition', `Start (${zone})`, 'End', 'Duration', 'Why']];
  let first = true;
  for (; !next.done; next = found.next()) {
    const { first: w, members } = next.value;
    if (body.length >= ROWS_PER_BLOCK) {
      yield* table.renderPieces(body, first, false);
      first = false;
      body = [];
    }
    if (members.length === 1) {
      body.push([kind(w), subject(w), edgeText(w.start, w.startBounds, tz), edgeText(w.end, w.endBounds, tz), duration(w.durationMs), `${w.reason} ${confidence(w)}`]);
    } else {
      const longest = Math.max(...members.map((m) => m.durationMs ?? 0));
      const end = members.map((m) => m.end!).sort().at(-1)!;
      body.push([kind(w), burstSubject(members), short(w.start, tz), short(end, tz), `≤ ${duration(longest)}`, `${w.reason} ${confidence(w)}`]);
    }
  }
  yield* table.renderPieces(body, first, true);
  if (doc.falseAlarms.length > 0) {
    yield `Not used as evidence: ${doc.falseAlarms.length} line(s) judged false alarms (--json lists them with the reason).`;
  }
}
