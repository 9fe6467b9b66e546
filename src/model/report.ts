import { z } from 'zod';
import { DumpInputSchema, GapSchema, TimestampTypeSchema, DiscontinuitySchema, LostWritesSchema, ZoneCheckSchema } from './gap.js';
import { RuntimeZoneChecksSchema } from './window.js';
import { NodeKindSchema, SeveritySchema, InputSchema } from './timeline.js';
import { WindowSchema, EvidenceSchema } from './window.js';

/**
 * JSON contract of `kforensics report --format json`: schema
 * "kforensics/report/v1". The same content as the Markdown and HTML reports.
 * schema/report.v1.json is generated from this file (see
 * test/report/schema.test.ts); change both together.
 */

/** A line of an input file, pointing into the appendix. */
export const LineRefSchema = z.object({
  file: z.string(),
  line: z.number().int().positive(),
});
export type LineRefJson = z.infer<typeof LineRefSchema>;

export const GapPointSchema = z.object({
  offset: z.number().int(),
  createTime: z.number().int().describe('epoch ms as in the dump'),
  time: z.string().describe('the same instant, ISO 8601 in --tz'),
});

export const MissingRecordsSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nullable(),
  broker: z.string().nullable(),
  lastBefore: GapPointSchema.describe('last record committed before the gap'),
  firstAfter: GapPointSchema.describe('first record after it'),
  durationMs: z.number().int().positive(),
  duration: z.string(),
  estimatedMissing: z.number().int().nonnegative().nullable().describe('records never written, when the evidence shows loss (gap analysis: neverWritten); null when loss is not claimed'),
  rate: z.number().nonnegative().nullable(),
  copies: z.array(z.string()).describe('brokers (and dump locations) whose copy shows this gap').optional(),
  missingFromLog: z.number().int().nonnegative().nullable().describe('records missing from the log between the two records (sequence numbers or rate × duration − 1)').optional(),
  lostAcknowledged: z.number().int().nonnegative().describe('of those, writes a deposed leader acknowledged and lost to truncation').optional(),
  meaning: z.string().describe('what the gap means and why').optional(),
});
export type MissingRecordsJson = z.infer<typeof MissingRecordsSchema>;

export const SummarySchema = z.object({
  incident: z.object({
    start: z.string(),
    end: z.string().nullable().describe('null: a window was still open at the end of the logs'),
    durationMs: z.number().int().nullable(),
  }).nullable().describe('earliest start to latest end of all windows; null when no window was found'),
  nodesAffected: z.array(z.string()),
  partitionsAffected: z.array(z.string()).describe('topic-partition of every partition window'),
  longestOutage: z.object({
    window: z.number().int().nonnegative().describe('index into windows'),
    kind: z.string(),
    subject: z.string(),
    start: z.string(),
    end: z.string().nullable(),
    durationMs: z.number().int().nullable(),
  }).nullable(),
  recordsNeverWritten: z.array(MissingRecordsSchema).describe('one entry per gap found in the dumps of the --topic topics'),
  narrative: z.string().describe('plain-language account generated from the windows, gaps and findings'),
});

export const KeyEventSchema = z.object({
  time: z.string(),
  lastTime: z.string().describe('time of the last event of the burst (= time for a single event)'),
  node: z.string(),
  nodeKind: NodeKindSchema,
  rule: z.string(),
  category: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  count: z.number().int().positive().describe('events folded into this row (a burst of the same rule on the same node within a second)'),
  evidence: LineRefSchema.describe('the first line of the burst'),
});
export type KeyEventJson = z.infer<typeof KeyEventSchema>;

export const FindingSchema = z.object({
  id: z.string().describe('check id, e.g. topic.replication-factor-1'),
  basis: z.enum(['setting', 'state']).describe('setting: a configuration value that can cause or worsen an outage; state: what a describe snapshot showed during it (a symptom)'),
  title: z.string(),
  severity: z.enum(['high', 'medium', 'low']),
  subject: z.string().describe('the topic, partition, broker or file the finding is about'),
  observed: z.string(),
  recommended: z.string(),
  why: z.string(),
  incident: z.string().nullable().describe('how the setting contributed to this incident, or null'),
  windows: z.array(z.number().int().nonnegative()).describe('indexes into windows that the setting contributed to'),
  evidence: z.array(LineRefSchema),
});
export type FindingJson = z.infer<typeof FindingSchema>;

export const RecommendationSchema = z.object({
  setting: z.string(),
  scope: z.enum(['topic', 'broker', 'producer']),
  recommended: z.string(),
  status: z.enum(['violated', 'ok', 'not-checked']),
  note: z.string(),
  values: z.array(z.object({
    subject: z.string().describe('the topic, broker or ZooKeeper node'),
    value: z.string(),
    source: z.enum(['topic', 'start-up', 'properties', 'default']).describe('topic: kafka-topics output; start-up: the broker\'s KafkaConfig dump at start; properties: a properties file; default: Kafka\'s default, the inputs set nothing'),
    evidence: LineRefSchema.nullable(),
  })).describe('the values the status is judged on, each with its source'),
});
export type RecommendationJson = z.infer<typeof RecommendationSchema>;

export const GapPartitionSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nullable(),
  broker: z.string().nullable(),
  firstOffset: z.number().int().nullable(),
  lastOffset: z.number().int().nullable(),
  records: z.number().int().nonnegative(),
  timestampType: TimestampTypeSchema,
  criterion: z.string().describe('the gap criterion applied to this copy, in words'),
  gaps: z.array(GapSchema),
  offsetDiscontinuities: z.array(DiscontinuitySchema),
  warnings: z.array(z.string()),
  location: z.string().describe('where the dumps of this copy were read from').optional(),
});
export type GapPartitionJson = z.infer<typeof GapPartitionSchema>;

export const InputQualitySchema = z.object({
  timeZone: z.string(),
  timeZoneNote: z.string(),
  nodes: z.array(z.string()),
  kinds: z.record(z.string(), z.number().int().nonnegative()).describe('files per kind'),
  totals: z.object({
    files: z.number().int().nonnegative(),
    linesRead: z.number().int().nonnegative(),
    records: z.number().int().nonnegative(),
    folded: z.number().int().nonnegative(),
    unrecognised: z.number().int().nonnegative(),
    badTimestamps: z.number().int().nonnegative(),
    outOfOrder: z.number().int().nonnegative(),
  }),
  files: z.array(InputSchema),
  dumps: z.array(DumpInputSchema),
  clockSkew: z.object({
    betweenNodes: z.string().describe('what is known of clock skew between the nodes'),
    producers: z.array(z.object({
      topic: z.string(), partition: z.number().int().nullable(), backwards: z.number().int().nonnegative(), maxBackwardsMs: z.number().int().nonnegative(),
    })).describe('records whose CreateTime went backwards, from the dumps'),
  }),
  clockChanges: z.array(z.string()).optional().describe('changes of the zone\'s clocks (daylight saving time) the logs span, and per file where records stamped in a repeated or skipped local hour were placed'),
  falseAlarms: z.array(EvidenceSchema.extend({ why: z.string() })),
});

export const AppendixEntrySchema = z.object({
  id: z.string().describe('anchor used by the Markdown and HTML reports (ev-N)'),
  file: z.string(),
  line: z.number().int().positive(),
  node: z.string().nullable(),
  time: z.string().nullable(),
  text: z.string().describe('the line as written in the file'),
});
export type AppendixEntryJson = z.infer<typeof AppendixEntrySchema>;

export const ReportSchema = z.object({
  schema: z.literal('kforensics/report/v1'),
  title: z.string(),
  generatedAt: z.string().nullable().describe('--generated-at as given; null: reports carry no wall-clock time so that they are reproducible'),
  timeZone: z.string().describe('--tz: the zone the logs were written in'),
  displayTimeZone: z.string().optional().describe('--display-tz: the zone whose offset the times carry, when not --tz'),
  paths: z.array(z.string()).describe('the paths given on the command line'),
  topics: z.array(z.string()).describe('--topic: topics whose dumps were analysed and whose events the timeline keeps'),
  summary: SummarySchema,
  timeline: z.object({
    selection: z.string().describe('which events count as key events'),
    eventsRead: z.number().int().nonnegative().describe('classified events in the logs'),
    keyEvents: z.number().int().nonnegative(),
    rows: z.array(KeyEventSchema),
  }),
  windows: z.array(WindowSchema),
  gaps: z.array(GapPartitionSchema),
  lostWrites: z.array(LostWritesSchema).describe('acknowledged writes lost to truncation, per partition (gap analysis)').optional(),
  zoneCheck: z.array(ZoneCheckSchema.extend({ topic: z.string() })).describe('the --tz zone checked against the dumps\' epoch times, per topic analysed').optional(),
  runtimeZoneCheck: RuntimeZoneChecksSchema,
  findings: z.array(FindingSchema),
  recommendations: z.array(RecommendationSchema),
  inputQuality: InputQualitySchema,
  appendix: z.array(AppendixEntrySchema),
});
export type ReportJson = z.infer<typeof ReportSchema>;
