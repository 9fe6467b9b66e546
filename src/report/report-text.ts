import { formatDuration } from '../analysis/gap.js';
import type { AppendixEntryJson, KeyEventJson, LineRefJson, RecommendationJson, ReportJson } from '../model/report.js';
import type { WindowJson } from '../model/window.js';
import type { ReportWindows } from './report-windows.js';
import { Pause } from './stream-json.js';

/** Small text helpers shared by the report's data, Markdown and HTML. */

/** A line judged a false alarm, as the report lists it. */
export type FalseAlarmJson = ReportJson['inputQuality']['falseAlarms'][number];

/** A long list of a report: an array, or read back from a spool each time it is iterated. */
export type ReportList<T> = Iterable<T> & { readonly length: number };

/**
 * A report as built: its long lists (key-event rows, the appendix) are not
 * held in memory but read back as they are written. A ReportJson is one too.
 */
export type ReportDoc = Omit<ReportJson, 'timeline' | 'appendix' | 'windows' | 'inputQuality'> & {
  /** Briefs of the windows, the whole ones spooled (report-windows.ts), or the windows themselves. */
  windows: ReportWindows;
  /** `latestEnd`: of the rows' last times, the latest (the first such in their order; null: no rows), where known without reading them. */
  timeline: Omit<ReportJson['timeline'], 'rows'> & { rows: ReportList<KeyEventJson> & { readonly latestEnd?: string | null } };
  /** Its false alarms read back as they are written (the window engine spools them). */
  inputQuality: Omit<ReportJson['inputQuality'], 'falseAlarms'> & { falseAlarms: ReportList<FalseAlarmJson> };
  /**
   * `idOf`: a cited line's id, looked up without reading the list. `ready`:
   * resolves once its entries can be read (its lines are quoted from the
   * files while the sections before it are written: untilQuoted); undefined
   * where they can be now.
   */
  appendix: ReportList<AppendixEntryJson> & { idOf?: (file: string, line: number) => string | undefined; ready?: () => Promise<void> | undefined };
};

/** Before the appendix's entries: writing waits there until its lines are quoted (ReportDoc's appendix.ready), where they are not yet. */
export function* untilQuoted(appendix: ReportDoc['appendix']): Generator<Pause> {
  const quoted = appendix.ready?.();
  if (quoted) yield new Pause(quoted);
}

/** A list's first item. */
export function firstOf<T>(list: ReportList<T>): T | undefined {
  for (const item of list) return item;
  return undefined;
}

/** `broker-2` < `broker-10` < `zk-1`; `test-topic-2` < `test-topic-10`. */
export function byNodeName(a: string, b: string): number {
  return NODE_NAMES.compare(a, b);
}

/** What `a.localeCompare(b, 'en', { numeric: true })` compares with, made once (that call makes it each time it is called). */
const NODE_NAMES = new Intl.Collator('en', { numeric: true });

/** `2022-10-05T17:05:39.869+09:00` → `2022-10-05 17:05:39.869` (the zone is named in the report's header). */
export function shortTime(iso: string | null): string {
  return iso === null ? 'open at the end of the logs' : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** The zone the report's times carry: --display-tz when given, else --tz. */
export function shownZone(r: Pick<ReportJson, 'timeZone' | 'displayTimeZone'>): string {
  return r.displayTimeZone ?? r.timeZone;
}

/** `+09:00` of `2022-10-05T17:05:39.869+09:00`, `+00:00` of `…Z`; '' when the text has no offset. */
export function utcOffsetOf(iso: string): string {
  const m = /(?:([+-]\d{2}:\d{2})|Z)$/.exec(iso);
  return m === null ? '' : m[1] ?? '+00:00';
}

/** `17:05:39`, with the date when it is not the reference date. */
export function clockSecOf(first: string | null): (iso: string) => string {
  const day = first?.slice(0, 10);
  return (iso) => (iso.slice(0, 10) === day ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
}

/** `17:05`, with the date when it is not the reference date. */
export function clockOf(first: string | null): (iso: string) => string {
  const day = first?.slice(0, 10);
  return (iso) => (iso.slice(0, 10) === day ? iso.slice(11, 16) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`);
}

/** `39 ms`, `48 s`, `2 h 12 m 21 s`: whole seconds above one second. */
export function humanDuration(ms: number | null): string {
  if (ms === null) return 'still open';
  if (ms < 1000) return `${ms} ms`;
  return formatDuration(Math.round(ms / 1000) * 1000);
}

export function subjectOf(w: WindowJson): string {
  if (w.topic !== undefined) return `${w.topic}-${w.partition}`;
  return w.node ?? '';
}

/**
 * Paths as the report shows them: relative to the one directory given, so
 * tables stay narrow (the JSON keeps them as read).
 */
export function displayPathOf(paths: readonly string[]): (file: string) => string {
  if (paths.length !== 1) return (f) => f;
  const root = paths[0]!.replace(/\/+$/, '');
  return (f) => (f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f);
}

/**
 * Links to the appendix, for the renderers: a cited line's label (its file as
 * shown, escaped once per file, and its number) and its appendix id, looked up
 * by file and then line (no key made per link: a report holds tens of
 * thousands).
 */
export function appendixLinks(r: Pick<ReportDoc, 'paths' | 'appendix'>, escape: (s: string) => string): {
  label: (file: string, line: number) => string;
  id: (file: string, line: number) => string | undefined;
} {
  const display = displayPathOf(r.paths);
  const ids = new Map<string, Map<number, string>>();
  // An appendix read back from its spool looks its ids up itself (not read whole into a map).
  const idOf = r.appendix.idOf?.bind(r.appendix);
  if (!idOf) {
    for (const a of r.appendix) {
      let lines = ids.get(a.file);
      if (!lines) ids.set(a.file, (lines = new Map()));
      lines.set(a.line, a.id);
    }
  }
  const shown = new Map<string, string>();
  return {
    label: (file, line) => {
      let f = shown.get(file);
      if (f === undefined) shown.set(file, (f = escape(display(file))));
      // A line number and the colon are nothing either escape changes.
      return `${f}:${line}`;
    },
    id: idOf ?? ((file, line) => ids.get(file)?.get(line)),
  };
}

/** Window kinds in the order a reader meets them, with their colours (Markdown legend and HTML chart). */
export const KIND_STYLE: Record<string, { label: string; colour: string }> = {
  'broker-down': { label: 'broker down', colour: '#c0392b' },
  'broker-hung': { label: 'broker hung (frozen)', colour: '#e67e22' },
  'log-dir-offline': { label: 'log directory offline', colour: '#784212' },
  'controller-unavailable': { label: 'no controller', colour: '#6c3483' },
  'zookeeper-unreachable': { label: 'ZooKeeper unreachable from every broker', colour: '#1a5276' },
  'zk-node-down': { label: 'ZooKeeper node down', colour: '#d35400' },
  'zk-node-unreachable': { label: 'ZooKeeper node frozen or cut off', colour: '#e59866' },
  'zk-stale-leader': { label: 'ZooKeeper stale leader', colour: '#af7ac5' },
  'zk-quorum-lost': { label: 'ZooKeeper quorum lost', colour: '#8e44ad' },
  'partition-leaderless': { label: 'partition without a working leader', colour: '#922b21' },
  'partition-offline': { label: 'partition offline (controller)', colour: '#7b241c' },
  'isolated': { label: 'isolated from ZooKeeper', colour: '#2471a3' },
  'under-replicated': { label: 'under-replicated', colour: '#d4ac0d' },
  'under-min-isr': { label: 'below min.insync.replicas', colour: '#b9770e' },
  'two-leaders': { label: 'two leaders (writes truncated)', colour: '#c2185b' },
};

const PALETTE = ['#16a085', '#6c3483', '#b9770e', '#1f618d', '#922b21', '#117864', '#7d6608', '#4a235a'];

/**
 * Label and colour of a window kind: the known kinds' from KIND_STYLE, any
 * other (a kind added to the window engine) its name in words and a colour
 * of its own, so that new kinds render without a change here.
 */
export function kindStyle(kind: string): { label: string; colour: string } {
  const known = KIND_STYLE[kind];
  if (known) return known;
  let h = 0;
  for (const c of kind) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return { label: kind.replace(/-/g, ' '), colour: PALETTE[h % PALETTE.length]! };
}

/** A row of the windows table: one window, or a burst of sub-second partition windows of one kind. */
export interface WindowRow {
  first: number;
  members: number[];
}

const BURST_MS = 1000;

/**
 * A controller failing over moves every partition of a dead broker through
 * OfflinePartition for a few milliseconds: dozens of windows that say one
 * thing. Sub-second partition windows of one kind starting within a second
 * of each other share a row (as in `kforensics windows`). Made as they are
 * read: a row is handed out when the next window does not join it, so no
 * list of every row is held (one per window on an event-dense log).
 */
export function* windowRows(windows: readonly WindowJson[]): Generator<WindowRow> {
  const brief = (w: WindowJson) => w.topic !== undefined && w.durationMs !== null && w.durationMs < BURST_MS;
  let row: WindowRow | undefined;
  let head: WindowJson | undefined;
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i]!;
    if (row && head && brief(w) && brief(head) && head.kind === w.kind && Date.parse(w.start) - Date.parse(head.start) < BURST_MS) {
      row.members.push(i);
      continue;
    }
    if (row) yield row;
    row = { first: i, members: [i] };
    head = w;
  }
  if (row) yield row;
}

/** Subject of a window row: `broker-1`, `account_event-0`, or `17 partitions: a-1, b-2, c-3, …`. */
export function rowSubject(windows: readonly WindowJson[], row: WindowRow): string {
  if (row.members.length === 1) return subjectOf(windows[row.first]!);
  const names = row.members.map((i) => subjectOf(windows[i]!));
  return `${names.length} partitions: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
}

/** The lines a recommended-configuration row's values come from, once each. */
export function valueRefs(row: RecommendationJson): LineRefJson[] {
  const seen = new Set<string>();
  return row.values.flatMap((v) => {
    if (!v.evidence || seen.has(`${v.evidence.file}:${v.evidence.line}`)) return [];
    seen.add(`${v.evidence.file}:${v.evidence.line}`);
    return [v.evidence];
  });
}

/** ` Start: …; end: …` — which source set each edge of a window, when the engine says. */
export function edgeSources(w: WindowJson): string {
  const parts = [w.startSource ? `start: ${w.startSource.how}` : '', w.endSource ? `end: ${w.endSource.how}` : ''].filter(Boolean);
  return parts.length === 0 ? '' : ` ${parts.join('; ')}.`;
}

/** Pieces in order: each string one piece, each table its lines. */
export function* pieces(...items: (string | Iterable<string>)[]): Generator<string> {
  for (const item of items) {
    if (typeof item === 'string') yield item;
    else yield* item;
  }
}

/**
 * One line of a document made of parts, written part after part: a list of
 * thousands of false alarms on one line was a string of tens of megabytes.
 * The renderers join their pieces with newlines; the parts of one are
 * joined with nothing.
 */
export class LineOfParts {
  constructor(readonly parts: Iterable<string>) {}
}

/** `items.map(f).join(separator)`, in parts made as they are consumed. */
export function* joinedParts<T>(items: Iterable<T>, f: (item: T) => string, separator: string): Generator<string> {
  let first = true;
  for (const item of items) {
    yield first ? f(item) : `${separator}${f(item)}`;
    first = false;
  }
}

/** `items.map(f)`, made one at a time as they are consumed. */
export function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
