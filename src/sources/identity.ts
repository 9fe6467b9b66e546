import { basename, dirname, resolve, sep } from 'node:path';
import type { NodeKind } from '../model/record.js';

// Where a line names the process that wrote it. Only self-references: a
// fetcher's `leaderId` or "Added fetcher to broker N" name a peer.
const BROKER_ID: readonly RegExp[] = [
  /\[KafkaServer id=(\d+)\]/,
  /\[Kafka Server (\d+)\]/,
  /\[Replica(?:Fetcher|AlterLogDirs)Manager on broker (\d+)\]/,
  /\[ReplicaFetcher replicaId=(\d+),/,
  /\[GroupMetadataManager brokerId=(\d+)\]/,
  /\[GroupCoordinator (\d+)\]/,
  /\[Controller id=(\d+)[\] ]/,
  /\[Broker id=(\d+)[\] ]/,
  /\[Partition \S+ broker=(\d+)\]/,
  /^Partition \[\S+\] on broker (\d+):/,
  /^\s+broker\.id = (\d+)$/,
  /^\s+node\.id = (\d+)$/,
  /\[(?:KafkaRaftServer|SharedServer) nodeId=(\d+)\]/,
  /\[(?:BrokerServer|ControllerServer|QuorumController|RaftManager|BrokerLifecycleManager) id=(\d+)\]/,
];
const ZOOKEEPER_ID: readonly RegExp[] = [
  /\[myid:(\d+)\]/,
  /QuorumPeer\[myid=(\d+)\]/,
  /[Mm]y id = +(\d+)/,
  /myId: (\d+)/,
];

/** Votes for the id of each role seen in one file family. */
export class IdentityVotes {
  private readonly votes: Record<NodeKind, Map<string, number>> = {
    'kafka-broker': new Map(),
    zookeeper: new Map(),
  };

  /** Reads one line for identity hints. Cheap gate first: most lines have none. */
  observe(line: string): void {
    if (line.includes('id') || line.includes('broker')) {
      this.vote('kafka-broker', BROKER_ID, line);
      this.vote('zookeeper', ZOOKEEPER_ID, line);
    }
  }

  private vote(role: NodeKind, patterns: readonly RegExp[], line: string): void {
    for (const p of patterns) {
      const m = p.exec(line);
      if (m) {
        const map = this.votes[role];
        map.set(m[1]!, (map.get(m[1]!) ?? 0) + 1);
        return;
      }
    }
  }

  /** The id most lines named for a role, if any did. */
  winner(role: NodeKind): string | undefined {
    let best: string | undefined;
    let count = 0;
    for (const [id, n] of this.votes[role]) {
      if (n > count) {
        best = id;
        count = n;
      }
    }
    return best;
  }

  total(role: NodeKind): number {
    let n = 0;
    for (const v of this.votes[role].values()) n += v;
    return n;
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

/** The last resort: the file itself names the node. */
export function nodeFromFile(path: string, role: NodeKind): string {
  return `${role === 'zookeeper' ? 'zk' : 'broker'}@${dirname(path) === '.' ? basename(path) : `${dirname(path)}/${basename(path)}`}`;
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
