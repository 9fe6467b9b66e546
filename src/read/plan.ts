import { dirname } from 'node:path';
import type { NodeKind } from '../model/record.js';
import { discover, type NotRead } from '../sources/discover.js';
import { expandInputs } from '../sources/archive.js';
import { COMPRESSED_SUFFIX, describeDamage, TrailingGarbage } from '../sources/decompress.js';
import { choosePattern, isLog4jProperties, patternsFromConfig, type PatternLayout } from '../sources/layout-pattern.js';
import { fileLineSource, readSmallFile } from '../sources/lines.js';
import { leadingNulBytes } from '../sources/open.js';
import { groupRotations, rotationName } from '../sources/rotation.js';
import { EVENTS_KIND, eventFileFamily } from '../sources/events-sniff.js';
import { parseNaiveTimestamp } from '../time/timestamp.js';
import { isLogKind, sniffLines, startsLayout, type InputKind } from '../sources/sniff.js';
import { detectPrefix, lineFix, prefixSample, type LineFix, type PrefixKind } from '../sources/prefix.js';
import {
  IdentityVotes, mappedNode, nodeFromFile, nodeFromPath, nodeName, parseNodeMap,
} from '../sources/identity.js';

/** Bytes of each file read up front to decide its kind and node. */
const HEAD_BYTES = 2 << 20;
/** Bytes read of a file once its family's identity is settled: enough to sniff and to notice a different node. */
const SHORT_HEAD_BYTES = 64 << 10;
const SNIFF_LINES = 200;
/** Self-references after which a file's identity is settled. */
const CONFIDENT_VOTES = 20;

export interface PlannedFile {
  path: string;
  size: number;
  /** `dev:ino` when found (discover.ts). */
  id?: string;
  kind: InputKind;
  /** Whether its head held ZooKeeper-server and Kafka lines. */
  zookeeperServer: boolean;
  kafka: boolean;
  /** Text before each line (docker-compose, kubectl, supervisor) or re-encoded brackets, removed when read. */
  prefix?: PrefixKind;
  /** A prefixed line of the head, to tune the per-line fix to its column. */
  prefixSample?: string;
  /**
   * The earliest wall-clock time (naive ms, see parseNaiveTimestamp) written
   * in its first lines, when they hold one and none carries its own offset:
   * the reading's merge opens the file's family only when it gets near it.
   */
  headNaive?: number;
}

/** The per-line fix for a planned file, or undefined for a plain log. */
export function fileLineFix(file: Pick<PlannedFile, 'prefix' | 'prefixSample'>): LineFix | undefined {
  return lineFix(file.prefix, file.prefixSample);
}

/**
 * Rotated files of one log, read as one stream, oldest first. A log whose
 * rotated files were written by different nodes (a directory reused with
 * another broker.id) is split into one family per run of files of one node.
 */
export interface Family {
  key: string;
  files: PlannedFile[];
  /** Node name for each role the family's lines can belong to. */
  nodes: Record<NodeKind, string>;
  /** Role of lines whose logger does not tell (ZooKeeper-only files in Kafka's layout). */
  defaultRole: NodeKind;
  /**
   * Other ids the family's own lines named for its roles, most named first:
   * several processes appended to the same file (several brokers started from
   * one installation, or several ZooKeeper servers' output concatenated), so
   * `nodes` is only the majority writer.
   */
  sharedWith?: Partial<Record<NodeKind, string[]>>;
  /** The user named the node with --node-map: nothing in the lines overrides it. */
  mapped?: boolean;
}

export interface Plan {
  families: Family[];
  /** Files of other kinds (dumps, describe output, properties), for the commands that read them. */
  others: PlannedFile[];
  skipped: NotRead[];
  missing: string[];
}

export interface PlanOptions {
  nodeMap?: readonly string[];
  /** Follow symbolic links out of the given paths (--follow-symlinks). */
  followSymlinks?: boolean;
  /** log4j ConversionPatterns to read files in no known layout with (beside those of the inputs' own log4j.properties). */
  layouts?: readonly string[];
}

interface Head {
  sniffed: ReturnType<typeof sniffLines>;
  votes: IdentityVotes;
  prefix?: { kind: PrefixKind; sample: string | undefined };
  /** earliestNaive of the lines sniffed. */
  naive?: number;
}

/** A `yyyy-MM-dd HH:mm:ss,SSS` time (`T`, `.` also), and what follows it (an offset makes it no naive time). */
const STAMP = /\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3}(?=(\d*)(\s*(?:Z|[+-]\d\d:?\d\d))?)/g;

/**
 * The earliest naive time written anywhere in `lines` (a time in a message
 * only makes it earlier), or undefined when none is written or one is
 * followed by its own UTC offset (the zone would then not place it).
 */
export function earliestNaive(lines: readonly string[]): number | undefined {
  let min = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    for (const m of line.matchAll(STAMP)) {
      if (m[2] !== undefined) return undefined;
      const t = parseNaiveTimestamp(m[0]);
      if (t < min) min = t;
    }
  }
  return Number.isFinite(min) ? min : undefined;
}

async function readHead(path: string, deep: boolean, layouts: readonly PatternLayout[] = [], family = path): Promise<Head> {
  const head: string[] = [];
  /** Lines from the first that starts a known layout, when the first lines are other output or garbage. */
  const late: string[] = [];
  let lateFrom = -1;
  let seen = 0;
  const votes = new IdentityVotes();
  // A NUL hole at the head (a preallocated file after a crash) does not count against the bytes read.
  const source = fileLineSource(path, leadingNulBytes(path) + (deep ? HEAD_BYTES : SHORT_HEAD_BYTES));
  let prefix: Head['prefix'];
  let fix: LineFix | undefined;
  let first = true;
  try {
    for await (const batch of source.batches()) {
      if (first) {
        // The prefix is decided once, on the first lines, then stripped from every line.
        first = false;
        const kind = detectPrefix(batch.slice(0, SNIFF_LINES));
        if (kind) {
          prefix = { kind, sample: prefixSample(kind, batch.slice(0, SNIFF_LINES)) };
          fix = lineFix(kind, prefix.sample);
        }
      }
      for (const raw of batch) {
        const line = fix ? fix(raw) : raw;
        if (head.length < SNIFF_LINES) head.push(line);
        if (lateFrom === -1 && startsLayout(line)) lateFrom = seen;
        if (lateFrom > 0 && late.length < SNIFF_LINES) late.push(line);
        seen++;
        votes.observe(line);
      }
      if (head.length >= SNIFF_LINES && (votes.confident('kafka-broker', CONFIDENT_VOTES) || votes.confident('zookeeper', CONFIDENT_VOTES))) break;
      // Nothing known yet: read on (up to the byte limit) for where the file's own content starts.
      if (head.length >= SNIFF_LINES && late.length >= SNIFF_LINES) break;
    }
  } catch (e) {
    // Damage after a readable head (a truncated .gz): sniff what was read; the
    // reader reports the damage. Nothing read at all: the file is not read.
    if (head.length === 0) throw e;
  }
  let sniffed = sniffLines(head);
  // Lines ended by CR alone (classic Mac OS) read as one line holding them all.
  if (head.length > 0 && head.length <= 2 && head.every((l) => l.split('\r').length > 3)) {
    sniffed = { kind: null, reason: `${CANNOT_READ}its lines end in CR alone, not LF or CRLF; read a converted copy: tr '\\r' '\\n' < file > file.log` };
  }
  if (sniffed.kind === null && late.length > 0) {
    // Other output, garbage or a NUL run before the first record: the reader counts those lines as unrecognised.
    const after = sniffLines(late);
    if (after.kind !== null) sniffed = after;
  }
  if (sniffed.kind === null && !prefix && layouts.length > 0) {
    // No layout kforensics knows: one of the configuration's own patterns may read it.
    const pattern = choosePattern(family, head, layouts);
    const fix = lineFix('log4j-pattern', pattern);
    if (pattern && fix) {
      const fixed = head.map(fix);
      const own = new IdentityVotes();
      for (const line of fixed) own.observe(line);
      const naive = earliestNaive(fixed);
      return { sniffed: sniffLines(fixed), votes: own, prefix: { kind: 'log4j-pattern', sample: pattern }, ...(naive !== undefined && { naive }) };
    }
  }
  const naive = earliestNaive([...head, ...late]);
  return { sniffed, votes, ...(prefix && { prefix }), ...(naive !== undefined && { naive }) };
}

/** The ConversionPatterns of the inputs' own logging configuration (log4j 1 and 2, logback), then those given by hand. */
async function layoutsOf(files: readonly { path: string }[], given: readonly string[]): Promise<PatternLayout[]> {
  const out: PatternLayout[] = [];
  for (const file of files) {
    if (!isLog4jProperties(file.path)) continue;
    let lines: string[] = [];
    try {
      lines = await readSmallFile(file.path);
    } catch {
      // Unreadable: it is reported where it is read as an input.
    }
    out.push(...patternsFromConfig(file.path, lines.join('\n')));
  }
  return [...out, ...given.map((pattern) => ({ pattern }))];
}

interface Scanned {
  file: PlannedFile;
  votes: IdentityVotes;
  /** Rotation suffix (`2022-10-05-17`, `1`) or '' for a live file: files of one hour share it across logs. */
  suffix: string;
}

const ROLES: readonly NodeKind[] = ['kafka-broker', 'zookeeper'];

/** Finds, sniffs and groups the inputs, and names the node behind each log. */
export async function planInputs(paths: readonly string[], options: PlanOptions = {}): Promise<Plan> {
  const nodeMap = parseNodeMap(options.nodeMap ?? []);
  // `-` is standard input; archives are replaced by their members.
  const found = await expandInputs(await discover(paths.filter((p) => p !== '-'), { followSymlinks: options.followSymlinks ?? false }), paths.includes('-'));
  const plan: Plan = { families: [], others: [], skipped: [...found.notRead], missing: found.missing };

  const layouts = await layoutsOf(found.files, options.layouts ?? []);
  const families = groupRotations(found.files);
  const scannedFamilies = new Map<string, Scanned[]>();
  /** Votes of every log file in a directory, and per rotation suffix within it. */
  const dirVotes = new Map<string, IdentityVotes>();
  const suffixVotes = new Map<string, IdentityVotes>();

  for (const [key, files] of families) {
    const familyVotes = new IdentityVotes();
    const scanned: Scanned[] = [];
    // Newest first: the live file is the most likely to hold a start-up banner.
    for (const file of [...files].reverse()) {
      const settled = familyVotes.confident('kafka-broker', CONFIDENT_VOTES) || familyVotes.confident('zookeeper', CONFIDENT_VOTES);
      let head: Head;
      try {
        head = await readHead(file.path, !settled, layouts, key);
      } catch (e) {
        plan.skipped.push({ path: file.path, reason: `${CANNOT_READ}${readFailure(e)}` });
        continue;
      }
      const s = head.sniffed;
      if (s.kind === null) {
        plan.skipped.push({ path: file.path, reason: s.reason });
        continue;
      }
      const p: PlannedFile = {
        path: file.path, size: file.size, ...(file.id !== undefined && { id: file.id }), kind: s.kind, zookeeperServer: s.zookeeperServer, kafka: s.kafka,
        ...(head.prefix && { prefix: head.prefix.kind, ...(head.prefix.sample !== undefined && { prefixSample: head.prefix.sample }) }),
        ...(head.naive !== undefined && { headNaive: head.naive }),
      };
      if (s.kind === EVENTS_KIND) {
        plan.families.push(await eventFileFamily(p));
        continue;
      }
      if (!isLogKind(s.kind)) {
        plan.others.push(p);
        continue;
      }
      familyVotes.merge(head.votes);
      const suffix = rotationSuffix(file.path);
      scanned.unshift({ file: p, votes: head.votes, suffix });
      const dir = dirname(key);
      dirVotes.set(dir, (dirVotes.get(dir) ?? new IdentityVotes()).merge(head.votes));
      const sk = `${dir}\0${suffix}`;
      suffixVotes.set(sk, (suffixVotes.get(sk) ?? new IdentityVotes()).merge(head.votes));
    }
    if (scanned.length > 0) scannedFamilies.set(key, scanned);
  }

  for (const [key, scanned] of scannedFamilies) {
    const dir = dirname(key);
    const idFor = (role: NodeKind, i: number): string | undefined => {
      // The file's own lines; else the nearest file of the same log that
      // names one (newer first: rotated hours of one run sit together); else
      // the other logs of the same hour in this directory; else the directory.
      const own = scanned[i]!.votes.winner(role);
      if (own !== undefined) return own;
      for (let d = 1; d < scanned.length; d++) {
        const newer = scanned[i + d]?.votes.winner(role);
        if (newer !== undefined) return newer;
        const older = scanned[i - d]?.votes.winner(role);
        if (older !== undefined) return older;
      }
      return suffixVotes.get(`${dir}\0${scanned[i]!.suffix}`)?.winner(role) ?? dirVotes.get(dir)?.winner(role);
    };
    const nameFor = (role: NodeKind, i: number): string => {
      const mapped = mappedNode(scanned[i]!.file.path, nodeMap);
      if (mapped) return mapped;
      const id = idFor(role, i);
      if (id !== undefined) return nodeName(role, id);
      return nodeFromPath(key, role) ?? nodeFromFile(key, role);
    };

    // Runs of consecutive files that name the same nodes.
    const runs: { nodes: Record<NodeKind, string>; items: Scanned[] }[] = [];
    scanned.forEach((item, i) => {
      const nodes = { 'kafka-broker': nameFor('kafka-broker', i), zookeeper: nameFor('zookeeper', i) };
      const last = runs[runs.length - 1];
      if (last && last.nodes['kafka-broker'] === nodes['kafka-broker'] && last.nodes.zookeeper === nodes.zookeeper) last.items.push(item);
      else runs.push({ nodes, items: [item] });
    });
    runs.forEach((run, r) => {
      const files = run.items.map((x) => x.file);
      const votes = new IdentityVotes();
      for (const x of run.items) votes.merge(x.votes);
      const sharedWith: Partial<Record<NodeKind, string[]>> = {};
      for (const role of ROLES) {
        const others = votes.ids(role).filter((id) => nodeName(role, id) !== run.nodes[role]);
        if (others.length > 0 && votes.winner(role) !== undefined) sharedWith[role] = others.map((id) => nodeName(role, id));
      }
      const zkOnly = files.every((f) => f.kind === 'zookeeper-native' || f.kind === 'zookeeper-kafka-layout');
      plan.families.push({
        key: runs.length === 1 ? key : `${key}#${r + 1}`,
        files,
        nodes: run.nodes,
        defaultRole: zkOnly ? 'zookeeper' : 'kafka-broker',
        ...(Object.keys(sharedWith).length > 0 && { sharedWith }),
        ...(mappedNode(files[0]!.path, nodeMap) !== undefined && { mapped: true }),
      });
    });
  }
  plan.others.sort((a, b) => (a.path < b.path ? -1 : 1));
  return plan;
}

/** `2022-10-05-17` for `server.log.2022-10-05-17(.gz)`, `1` for `zookeeper.log.1`, '' for a live file. */
function rotationSuffix(path: string): string {
  const { family } = rotationName(path);
  let name = path.replace(COMPRESSED_SUFFIX, '');
  name = name.slice(family.length);
  return name.startsWith('.') ? name.slice(1) : name;
}

/**
 * How a skip reason starts when the file could not be read (as opposed to
 * read and found to hold no log): such inputs make the commands exit with 1.
 */
export const CANNOT_READ = 'cannot read: ';

/** Whether an input's accounting says it could not be read in full. */
export function isReadFailure(input: { skipped: string | null; error: string | null }): boolean {
  return input.error !== null || (input.skipped?.startsWith(CANNOT_READ) ?? false);
}

export function readFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied (run as a user who can read it, or copy it with its permissions)';
  if (err.code === 'EISDIR') return 'is a directory';
  if (err.code === 'EMFILE' || err.code === 'ENFILE') return 'too many open files (raise the limit with ulimit -n, or give fewer folders at once)';
  if (err instanceof TrailingGarbage) return `gzip file with ${err.message}`;
  const damage = describeDamage(e);
  if (damage) return damage;
  return err.message ?? String(e);
}
