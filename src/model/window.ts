import { z } from 'zod';

export const WINDOW_KINDS = [
  'broker-down', 'broker-hung', 'isolated', 'log-dir-offline', 'zookeeper-unreachable', 'controller-unavailable',
  'zk-node-down', 'zk-node-unreachable', 'zk-stale-leader', 'zk-quorum-lost',
  'partition-leaderless', 'partition-offline', 'under-replicated', 'under-min-isr', 'two-leaders',
  // KRaft: a broker the controller fenced; the controller quorum without a raft leader.
  'broker-fenced', 'controller-quorum-leaderless',
] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** A log line (or snapshot line) that supports a window. */
export const EvidenceSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  time: z.string().nullable().describe('ISO 8601 with offset; null for a snapshot without a time (describe output)'),
  ruleId: z.string().nullable(),
  text: z.string(),
});
export type EvidenceJson = z.infer<typeof EvidenceSchema>;

export const BoundsSchema = z.object({ earliest: z.string(), latest: z.string() });

export const EdgeSourceSchema = z.object({
  how: z.string().describe('the method that set this edge, in words (the most precise source present)'),
  evidence: EvidenceSchema.nullable().describe('the line it rests on'),
});

export const WindowSchema = z.object({
  kind: z.enum(WINDOW_KINDS),
  node: z.string().optional(),
  topic: z.string().optional(),
  partition: z.number().int().optional(),
  start: z.string(),
  end: z.string().nullable().describe('null: still open at the end of the logs'),
  startBounds: BoundsSchema.nullable().describe('earliest: last sign of life; latest: when the cluster noticed'),
  endBounds: BoundsSchema.nullable(),
  startSource: EdgeSourceSchema.optional(),
  endSource: EdgeSourceSchema.optional(),
  durationMs: z.number().int().nullable(),
  confidence: z.enum(['high', 'medium', 'low']),
  reason: z.string().describe('one sentence: why this window was inferred'),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.number())])).optional(),
  evidence: z.array(EvidenceSchema),
});
export type WindowJson = z.infer<typeof WindowSchema>;

/** Where the logs and the KRaft metadata log tell different stories about one window. */
export const DisagreementSchema = z.object({
  kind: z.enum(WINDOW_KINDS),
  node: z.string().optional(),
  topic: z.string().optional(),
  partition: z.number().int().optional(),
  side: z.enum(['logs-only', 'metadata-only', 'edges']).describe('logs-only / metadata-only: a window one side shows and the other does not; edges: both show it, at different times'),
  why: z.string(),
  evidence: z.array(EvidenceSchema),
});
export type DisagreementJson = z.infer<typeof DisagreementSchema>;

export const WindowsDocSchema = z.object({
  schema: z.literal('kforensics/windows/v1'),
  timeZone: z.string(),
  mode: z.enum(['zookeeper', 'kraft', 'unknown']).describe('how the cluster ran: from the log lines that fired, process.roles / zookeeper.connect in properties files, metadata-log dumps'),
  modeReason: z.string(),
  windows: z.array(WindowSchema),
  falseAlarms: z.array(EvidenceSchema.extend({ why: z.string() })),
  disagreements: z.array(DisagreementSchema).describe('KRaft: windows the logs and the metadata log do not agree on'),
});
export type WindowsDocJson = z.infer<typeof WindowsDocSchema>;
