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
  rule: z.string().nullable().describe('catalogue rule id of the line, or null (a snapshot line, an unclassified record)'),
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

export const ZoneCheckSchema = z.object({
  checked: z.boolean().describe('whether there was anything to check the zone against (gaps and node silences)'),
  shiftMs: z.number().int().nullable(),
  writtenOffset: z.string().nullable(),
  suggestedTimeZone: z.string().nullable().describe('the --tz that reconciles the logs with the dumps (null: they agree, or nothing to check)'),
  node: z.string().nullable(),
  message: z.string(),
});
export type ZoneCheckJson = z.infer<typeof ZoneCheckSchema>;

/**
 * The zone --tz checked against a container runtime's own times (CRI and
 * Docker json-file lines carry an RFC 3339 time with a zone beside the log's
 * zoneless timestamp), one per file read through such framing.
 */
export const RuntimeZoneCheckSchema = ZoneCheckSchema.extend({
  checked: z.boolean().describe('true: the file carries the runtime\'s times to check against'),
  suggestedTimeZone: z.string().nullable().describe('the --tz that reconciles the log timestamps with the runtime\'s times (null: they agree)'),
  file: z.string(),
  pairs: z.number().int().nonnegative().describe('lines that carry both times'),
  agreeing: z.number().int().nonnegative().describe('lines whose two times differ by shiftMs (0 when the zone agrees)'),
}).describe("the --tz zone checked against a container runtime's own times (shiftMs null: they agree)");
export type RuntimeZoneCheckJson = z.infer<typeof RuntimeZoneCheckSchema>;
export const RuntimeZoneChecksSchema = z.array(RuntimeZoneCheckSchema).optional()
  .describe("per container log (CRI, Docker json-file): --tz checked against the runtime's own times; absent when no input carries them");

export const WindowsDocSchema = z.object({
  schema: z.literal('kforensics/windows/v1'),
  timeZone: z.string().describe('--tz: the zone the log timestamps were read in'),
  displayTimeZone: z.string().optional().describe('--display-tz: the zone whose offset the times carry, when not --tz'),
  mode: z.enum(['zookeeper', 'kraft', 'unknown']).describe('how the cluster ran: from the log lines that fired, process.roles / zookeeper.connect in properties files, metadata-log dumps'),
  modeReason: z.string(),
  windows: z.array(WindowSchema),
  falseAlarms: z.array(EvidenceSchema.extend({ why: z.string() })),
  disagreements: z.array(DisagreementSchema).describe('KRaft: windows the logs and the metadata log do not agree on'),
  runtimeZoneCheck: RuntimeZoneChecksSchema,
});
export type WindowsDocJson = z.infer<typeof WindowsDocSchema>;
