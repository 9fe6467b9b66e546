import { dirname } from 'node:path';
import type { NodeKind } from '../model/record.js';
import { discover, type NotRead } from './discover.js';
import { fileLineSource } from './lines.js';
import { groupRotations } from './rotation.js';
import { isLogKind, sniffLines, type InputKind } from './sniff.js';
import {
  IdentityVotes, mappedNode, nodeFromFile, nodeFromPath, nodeName, parseNodeMap,
} from './identity.js';

/** Bytes of each file read up front to decide its kind and node. */
const HEAD_BYTES = 2 << 20;
const SNIFF_LINES = 200;
/** Votes after which a family's identity is settled and later files are not pre-read. */
const CONFIDENT_VOTES = 20;

export interface PlannedFile {
  path: string;
  size: number;
  kind: InputKind;
  /** Whether its head held ZooKeeper-server and Kafka lines. */
  zookeeperServer: boolean;
  kafka: boolean;
}

/** Rotated files of one log, read as one stream, oldest first. */
export interface Family {
  key: string;
  files: PlannedFile[];
  /** Node name for each role the family's lines can belong to. */
  nodes: Record<NodeKind, string>;
  /** Role of lines whose logger does not tell (ZooKeeper-only files in Kafka's layout). */
  defaultRole: NodeKind;
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
}

interface Head {
  sniffed: ReturnType<typeof sniffLines>;
  votes: IdentityVotes;
}

async function readHead(path: string, votes: IdentityVotes, scanIdentity: boolean): Promise<Head> {
  const head: string[] = [];
  const source = fileLineSource(path, scanIdentity ? HEAD_BYTES : 64 << 10);
  for await (const batch of source.batches()) {
    for (const line of batch) {
      if (head.length < SNIFF_LINES) head.push(line);
      if (scanIdentity) votes.observe(line);
    }
    if (head.length >= SNIFF_LINES && !scanIdentity) break;
  }
  return { sniffed: sniffLines(head), votes };
}

/** Finds, sniffs and groups the inputs, and names the node behind each log. */
export async function planInputs(paths: readonly string[], options: PlanOptions = {}): Promise<Plan> {
  const nodeMap = parseNodeMap(options.nodeMap ?? []);
  const found = await discover(paths);
  const plan: Plan = { families: [], others: [], skipped: [...found.notRead], missing: found.missing };

  const families = groupRotations(found.files);
  const familyVotes = new Map<string, IdentityVotes>();
  const familyFiles = new Map<string, PlannedFile[]>();

  for (const [key, files] of families) {
    const votes = new IdentityVotes();
    const planned: PlannedFile[] = [];
    // Newest first: the live file is the most likely to hold a start-up banner.
    for (const file of [...files].reverse()) {
      const settled = votes.total('kafka-broker') >= CONFIDENT_VOTES || votes.total('zookeeper') >= CONFIDENT_VOTES;
      let head: Head;
      try {
        head = await readHead(file.path, votes, !settled);
      } catch (e) {
        plan.skipped.push({ path: file.path, reason: readFailure(e) });
        continue;
      }
      const s = head.sniffed;
      if (s.kind === null) {
        plan.skipped.push({ path: file.path, reason: s.reason });
        continue;
      }
      const p: PlannedFile = { path: file.path, size: file.size, kind: s.kind, zookeeperServer: s.zookeeperServer, kafka: s.kafka };
      if (isLogKind(s.kind)) planned.unshift(p);
      else plan.others.push(p);
    }
    if (planned.length > 0) {
      familyVotes.set(key, votes);
      familyFiles.set(key, planned);
    }
  }

  const winners = (role: NodeKind, dir: string): Set<string> => {
    const ids = new Set<string>();
    for (const [key, votes] of familyVotes) {
      const id = votes.winner(role);
      if (id !== undefined && dirname(key) === dir) ids.add(id);
    }
    return ids;
  };

  for (const [key, files] of familyFiles) {
    const votes = familyVotes.get(key)!;
    const nameFor = (role: NodeKind): string => {
      const mapped = mappedNode(files[0]!.path, nodeMap);
      if (mapped) return mapped;
      const own = votes.winner(role);
      if (own !== undefined) return nodeName(role, own);
      // A state-change.log rarely names its broker; its server.log beside it does.
      const siblings = winners(role, dirname(key));
      if (siblings.size === 1) return nodeName(role, [...siblings][0]!);
      return nodeFromPath(key, role) ?? nodeFromFile(key, role);
    };
    const zkOnly = files.every((f) => f.kind === 'zookeeper-native' || f.kind === 'zookeeper-kafka-layout');
    plan.families.push({
      key,
      files,
      nodes: { 'kafka-broker': nameFor('kafka-broker'), zookeeper: nameFor('zookeeper') },
      defaultRole: zkOnly ? 'zookeeper' : 'kafka-broker',
    });
  }
  plan.others.sort((a, b) => (a.path < b.path ? -1 : 1));
  return plan;
}

export function readFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied (run as a user who can read it)';
  if (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header/i.test(err.message ?? '')) {
    return `damaged gzip data (${err.message}); try 'gzip -t' on it`;
  }
  return err.message ?? String(e);
}
