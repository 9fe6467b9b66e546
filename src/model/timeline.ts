import { z } from 'zod';
import { RuntimeZoneChecksSchema, WindowSchema } from './window.js';

export const SeveritySchema = z.enum(['debug', 'info', 'warn', 'error', 'critical']);
export const NodeKindSchema = z.enum(['kafka-broker', 'zookeeper']);

export const FieldValueSchema = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]);

/** One timeline event: also each NDJSON line of `timeline --format ndjson`. */
export const EventSchema = z.object({
  time: z.string().describe('ISO 8601 with milliseconds and the offset of --tz (of --display-tz when given)'),
  node: z.string().describe('broker-N, zk-N, or a name taken from the path'),
  nodeKind: NodeKindSchema,
  file: z.string(),
  line: z.number().int().positive(),
  rule: z.string().nullable().describe('catalogue rule id, or null for an unclassified record (--all)'),
  category: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  fields: z.record(z.string(), FieldValueSchema),
  continuation: z.array(z.string()),
});
export type EventJson = z.infer<typeof EventSchema>;

/** What was read from one input file, and how every line was accounted for. */
export const InputSchema = z.object({
  file: z.string(),
  kind: z.string(),
  node: z.string().nullable(),
  linesRead: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  folded: z.number().int().nonnegative(),
  unrecognised: z.number().int().nonnegative(),
  badTimestamps: z.number().int().nonnegative(),
  outOfOrder: z.number().int().nonnegative(),
  cutLines: z.number().int().nonnegative(),
  skipped: z.string().nullable().describe('why the file was not read, or null'),
  error: z.string().nullable().describe('a read error after which the rest of the file was lost, or null'),
});
export type InputJson = z.infer<typeof InputSchema>;

/** Clock skew between nodes, estimated from events that happened at the same moment on both. */
export const SkewSchema = z.object({
  reference: z.string().nullable().describe('the node the offsets are relative to; null when no events could be paired'),
  estimates: z.array(z.object({
    node: z.string(),
    offsetMs: z.number().int().describe("this node's clock minus the reference's; correct with --skew NODE=+offset"),
    pairs: z.number().int().positive(),
    spreadMs: z.number().int().nonnegative(),
    via: z.string(),
    basis: z.array(z.string()),
  })),
});
export type SkewJson = z.infer<typeof SkewSchema>;

export const TimelineSchema = z.object({
  schema: z.literal('kforensics/timeline/v1'),
  timeZone: z.string().describe('--tz: the zone the log timestamps were read in'),
  displayTimeZone: z.string().optional().describe('--display-tz: the zone whose offset the times carry, when not --tz'),
  inputs: z.array(InputSchema),
  windows: z.array(WindowSchema).describe('outage windows inferred from all the records (see `kforensics windows`), those matching the filters'),
  skew: SkewSchema.optional().describe('clock skew between nodes (timeline --json)'),
  runtimeZoneCheck: RuntimeZoneChecksSchema,
  events: z.array(EventSchema),
});
export type TimelineJson = z.infer<typeof TimelineSchema>;
