import { basename, dirname, resolve, sep } from 'node:path';
import type { NodeKind } from '../model/record.js';

// Where a line names the process that wrote it. Only self-references: a
// fetcher's `leaderId`, a controller's `targetBrokerId` or "Added fetcher to
// broker N" name a peer. Patterns run on whole lines (timestamp included), and
// only on the heads of files while planning, never on the hot path.
//
// Declarations say which node a process *is* (its config dump, its start-up
// banner); they outvote any number of ordinary self-references, because a
// controller's lines name the controller even in files other brokers share.
const BROKER_DECLARED: readonly RegExp[] = [
  /^\s+broker\.id = (\d+)$/,
  /^\s+node\.id = (\d+)$/,
  /\[KafkaServer id=(\d+)\] start/,
  /\[Kafka Server (\d+)\], start/,
  /\[(?:KafkaRaftServer|SharedServer) nodeId=(\d+)\]/,
];
const BROKER_ID: readonly RegExp[] = [
  // `[Component id=N]`, `[Component nodeId=N]`, `[Controller id=N, targetBrokerId=M]`,
  // `[ReplicaFetcher replicaId=N, leaderId=M, …]`, `[RequestSendThread controllerId=N]`,
  // `[AclPublisher controller id=N]`: the first key names the writer.
  /\[[A-Z][A-Za-z]*(?: [A-Za-z]+)* (?:id|nodeId|brokerId|controllerId|replicaId)=(\d+)[\],\s]/,
  /\[Kafka Server (\d+)\]/,
  /\[(?:Replica(?:Fetcher|AlterLogDirs)Manager|Admin Manager) on (?:broker|Broker) (\d+)\]/,
  /\[GroupCoordinator (\d+)\]/,
  /\[KafkaApi-(\d+)\]/,
  /\[Controller (\d+)\]/,
  /\[(?:Replica|Partition) state machine on (?:controller|Controller) (\d+)\]/,
  /\[Controller-(\d+)-to-broker-/,
  /\[Partition \S+ broker=(\d+)\]/,
  // 0.10 – 1.x wording: `INFO Partition [t,2] on broker 1: …`, state-change
  // `TRACE Controller 1 epoch 58 …`, `TRACE Broker 1 cached leader info …`.
  /^\[[^\]]+\] [A-Z]+ Partition \[\S+\] on broker (\d+):/,
  /^\[[^\]]+\] [A-Z]+ (?:Controller|Broker) (\d+) (?:epoch \d+ |cached |received |handling |completed |ignoring |skipped )/,
  /App info kafka\.server for (\d+) /,
];
const ZOOKEEPER_ID: readonly RegExp[] = [
  /\[myid:(\d+)\]/,
  /QuorumPeer\[myid=(\d+)\]/,
  /[Mm]y id = +(\d+)/,
  /myId: (\d+)/,
];

type Tally = Map<string, number>;

function add(to: Tally, id: string, n: number): void {
  to.set(id, (to.get(id) ?? 0) + n);
}

function best(tally: Tally): string | undefined {
  let id: string | undefined;
  let count = 0;
  for (const [k, n] of tally) {
    if (n > count || (n === count && id !== undefined && Number(k) < Number(id))) {
      id = k;
      count = n;
    }
  }
  return id;
}

/** Votes for the id of each role seen in one file (or one family, or one directory). */
export class IdentityVotes {
  private readonly declared: Record<NodeKind, Tally> = { 'kafka-broker': new Map(), zookeeper: new Map() };
  private readonly votes: Record<NodeKind, Tally> = { 'kafka-broker': new Map(), zookeeper: new Map() };

  /** Reads one line for identity hints. Cheap gate first: most lines have none. */
  observe(line: string): void {
    if (line.includes('id') || line.includes('Id') || line.includes('roker') || line.includes('ontroller') || line.includes('erver')) {
      if (!this.vote(this.declared['kafka-broker'], BROKER_DECLARED, line)) {
        this.vote(this.votes['kafka-broker'], BROKER_ID, line);
      }
      this.vote(this.votes.zookeeper, ZOOKEEPER_ID, line);
    }
  }

  private vote(tally: Tally, patterns: readonly RegExp[], line: string): boolean {
    for (const p of patterns) {
      const m = p.exec(line);
      if (m) {
        add(tally, m[1]!, 1);
        return true;
      }
    }
    return false;
  }

  /** Adds another set of votes to this one. */
  merge(other: IdentityVotes): this {
    for (const role of ['kafka-broker', 'zookeeper'] as const) {
      for (const [id, n] of other.declared[role]) add(this.declared[role], id, n);
      for (const [id, n] of other.votes[role]) add(this.votes[role], id, n);
    }
    return this;
  }

  /** The id a role's lines declared most, else named most; ties go to the lower id. */
  winner(role: NodeKind): string | undefined {
    return best(this.declared[role]) ?? best(this.votes[role]);
  }

  /** Every id seen for a role, most votes first (declarations first). */
  ids(role: NodeKind): string[] {
    const all = new Map<string, number>();
    for (const [id, n] of this.declared[role]) add(all, id, n * 1_000_000);
    for (const [id, n] of this.votes[role]) add(all, id, n);
    return [...all].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  }

  total(role: NodeKind): number {
    let n = 0;
    for (const v of this.declared[role].values()) n += v;
    for (const v of this.votes[role].values()) n += v;
    return n;
  }

  /** Whether the role's id is settled: a declaration, or many consistent self-references. */
  confident(role: NodeKind, enough: number): boolean {
    return this.declared[role].size > 0 || this.total(role) >= enough;
  }
}

export function nodeName(role: NodeKind, id: string): string {
  return role === 'zookeeper' ? `zk-${id}` : `broker-${id}`;
}

const PATH_TOKEN = /^(node|kafka|broker|zk|zookeeper|server|host|kafka-broker)[-_]?(\d+)$/i;

/**
 * A node name from the directories above a file (`node1/`, `kafka-2/`,
 * `zk-1/`): `broker-2` when the directory names the role, `broker@node1`
 * when it names only a host.
 */
export function nodeFromPath(path: string, role: NodeKind): string | undefined {
  const parts = dirname(path).split(sep).filter(Boolean).reverse();
  for (const part of parts) {
    const m = PATH_TOKEN.exec(part);
    if (!m) continue;
    const prefix = m[1]!.toLowerCase();
    if (role === 'zookeeper' && (prefix === 'zk' || prefix === 'zookeeper')) return `zk-${m[2]}`;
    if (role === 'kafka-broker' && (prefix === 'broker' || prefix === 'kafka-broker')) return `broker-${m[2]}`;
    return `${role === 'zookeeper' ? 'zk' : 'broker'}@${part}`;
  }
  return undefined;
}

// Directory names that say nothing about the node.
const GENERIC_DIR = new Set(['logs', 'log', 'kafka-logs', 'kafka', 'zookeeper', 'var', 'tmp', 'data', 'opt', 'out', 'output']);

/**
 * The last resort: the directory holding the file names the node
 * (`zk@kafakainfo` for `…/kafakainfo/server.log`), skipping generic names such
 * as `logs`; the file name itself for a file given without a directory.
 */
export function nodeFromFile(path: string, role: NodeKind): string {
  const prefix = role === 'zookeeper' ? 'zk' : 'broker';
  const parts = dirname(resolve(path)).split(sep).filter(Boolean);
  const dirs: string[] = [];
  for (let i = parts.length - 1; i >= 0 && dirs.length < 3; i--) {
    dirs.unshift(parts[i]!);
    if (!GENERIC_DIR.has(parts[i]!.toLowerCase())) break;
  }
  return `${prefix}@${dirs.length > 0 ? dirs.join('/') : basename(path)}`;
}

/** `--node-map PATH=NAME` entries; the longest matching path wins. */
export function parseNodeMap(entries: readonly string[]): { prefix: string; name: string }[] {
  return entries.map((entry) => {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      throw new Error(`--node-map "${entry}" is not PATH=NAME (for example --node-map logs/host-a=broker-1)`);
    }
    return { prefix: resolve(entry.slice(0, eq)), name: entry.slice(eq + 1) };
  }).sort((a, b) => b.prefix.length - a.prefix.length);
}

export function mappedNode(path: string, map: readonly { prefix: string; name: string }[]): string | undefined {
  const full = resolve(path);
  return map.find((m) => full === m.prefix || full.startsWith(m.prefix + sep))?.name;
}
