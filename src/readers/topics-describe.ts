import { CREATED_TOPIC } from '../sources/sniff.js';

/**
 * `kafka-topics --describe` output, every format since 0.10:
 *   Topic:account_event	PartitionCount:1	ReplicationFactor:1	Configs:
 *   	Topic: account_event	Partition: 0	Leader: 1	Replicas: 1	Isr: 1
 * (3.x adds TopicId, 4.x Elr/LastKnownElr). Read as `Key: value` tokens so
 * new columns do not break it. A snapshot has no time of its own. The output
 * of `kafka-topics --create` is read here too: it says which topics were
 * created by hand.
 */
export interface PartitionSnapshot {
  topic: string;
  partition: number;
  /** null for `Leader: none` / `Leader: -1`. */
  leader: number | null;
  replicas: number[];
  isr: number[];
  line: number;
  text: string;
}

export interface TopicSnapshot {
  topic: string;
  partitionCount?: number;
  replicationFactor?: number;
  configs: Record<string, string>;
  line: number;
}

export interface DescribeSnapshot {
  topics: TopicSnapshot[];
  partitions: PartitionSnapshot[];
  /** `Created topic "X".` / `Created topic X.`: kafka-topics --create output (the topic was created by hand). */
  created: { topic: string; line: number }[];
  /** Lines that were neither (prompts, warnings, blank). */
  other: number;
}

const TOKEN = /([A-Za-z]+):\s*(\S*)/g;

function ids(text: string | undefined): number[] {
  if (!text) return [];
  return text.split(',').map((s) => Number(s)).filter((n) => Number.isInteger(n));
}

function configs(line: string): Record<string, string> {
  const at = line.indexOf('Configs:');
  if (at === -1) return {};
  const out: Record<string, string> = {};
  for (const pair of line.slice(at + 8).trim().split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

export function parseDescribe(lines: readonly string[]): DescribeSnapshot {
  const out: DescribeSnapshot = { topics: [], partitions: [], created: [], other: 0 };
  lines.forEach((text, i) => {
    const tokens = new Map<string, string>();
    for (const m of text.matchAll(TOKEN)) if (!tokens.has(m[1]!)) tokens.set(m[1]!, m[2]!);
    const topic = tokens.get('Topic');
    if (topic && tokens.has('Partition') && !tokens.has('PartitionCount')) {
      const leader = tokens.get('Leader');
      out.partitions.push({
        topic,
        partition: Number(tokens.get('Partition')),
        leader: leader === undefined || leader === 'none' || leader === '-1' ? null : Number(leader),
        replicas: ids(tokens.get('Replicas')),
        isr: ids(tokens.get('Isr')),
        line: i + 1,
        text,
      });
    } else if (topic && tokens.has('PartitionCount')) {
      out.topics.push({
        topic,
        partitionCount: Number(tokens.get('PartitionCount')),
        replicationFactor: Number(tokens.get('ReplicationFactor')),
        configs: configs(text),
        line: i + 1,
      });
    } else {
      const created = CREATED_TOPIC.exec(text);
      if (created) out.created.push({ topic: created[1]!, line: i + 1 });
      else out.other++;
    }
  });
  return out;
}
