import { z } from 'zod';
import { InputSchema } from './timeline.js';

/**
 * JSON contract of `kforensics gap` (`--json`): schema "kforensics/gap/v1".
 * `createTime` is epoch milliseconds exactly as the dump prints it; `time` is
 * ISO 8601 with milliseconds and the offset of --tz.
 */

export const RecordRefSchema = z.object({
  offset: z.number().int(),
  createTime: z.number().int().describe('record timestamp, epoch ms, as in the dump (CreateTime or LogAppendTime, see timestampType)'),
  time: z.string().describe('the same instant, ISO 8601 in --tz'),
  utc: z.string().describe('the same instant, ISO 8601 in UTC'),
  line: z.number().int().positive().describe('line of the record in its dump file'),
  file: z.string(),
});
export type RecordRefJson = z.infer<typeof RecordRefSchema>;

export const EvidenceSchema = z.object({
  kind: z.enum(['last-line-before', 'first-line-after', 'outage-event']),
  node: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  time: z.string().describe('ISO 8601 in --tz'),
  epochMs: z.number().int(),
  text: z.string().describe('the log line as written (first line of the record)'),
  rule: z.string().nullable().describe('catalogue rule id, or null'),
});
export type EvidenceJson = z.infer<typeof EvidenceSchema>;

export const RateWindowSchema = z.object({
  records: z.number().int().nonnegative().describe('records counted after the window start'),
  fromOffset: z.number().int(),
  toOffset: z.number().int(),
  fromCreateTime: z.number().int(),
  toCreateTime: z.number().int(),
  durationMs: z.number().int().nonnegative(),
});

export const GapSchema = z.object({
  before: RecordRefSchema.describe('last record before the gap'),
  after: RecordRefSchema.describe('first record after the gap'),
  durationMs: z.number().int().positive(),
  duration: z.string().describe('durationMs as "2 h 15 m 3.689 s"'),
  estimatedMissing: z.number().int().nonnegative().nullable().describe('rate × duration: records that were never written, if traffic had gone on at the pre-gap rate'),
  rate: z.number().nonnegative().nullable().describe('pre-gap rate, records per second'),
  rateWindow: RateWindowSchema.nullable(),
  leaderEpochBefore: z.number().int().nullable(),
  leaderEpochAfter: z.number().int().nullable(),
  evidence: z.array(EvidenceSchema),
  evidenceNote: z.string().nullable().describe('why evidence is missing or incomplete'),
});
export type GapJson = z.infer<typeof GapSchema>;

export const LeaderEpochSchema = z.object({
  epoch: z.number().int(),
  firstOffset: z.number().int().describe('first offset seen with this epoch (where it changes)'),
  firstCreateTime: z.number().int().nullable(),
  time: z.string().nullable(),
});

export const DiscontinuitySchema = z.object({
  from: z.number().int().describe('last offset seen before the hole'),
  to: z.number().int().describe('first offset seen after it'),
  missing: z.number().int().positive().describe('to − from − 1 offsets absent (compaction, truncation, deleted segment, or an elided paste)'),
});

export const SkewExampleSchema = z.object({
  offset: z.number().int(),
  createTime: z.number().int(),
  time: z.string(),
  previousMaxCreateTime: z.number().int(),
  backwardsMs: z.number().int(),
});

export const TimestampTypeSchema = z.enum(['CreateTime', 'LogAppendTime', 'NoTimestampType', 'mixed', 'unknown']);

export const PartitionGapSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nullable(),
  broker: z.string().nullable().describe('broker that hosted the dumped log'),
  brokerSource: z.string().nullable().describe('how the broker was found: --broker, logs beside the dump, the dump path'),
  firstOffset: z.number().int().nullable(),
  lastOffset: z.number().int().nullable(),
  records: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  createTime: z.object({
    first: z.number().int().nullable(), last: z.number().int().nullable(),
    min: z.number().int().nullable(), max: z.number().int().nullable(),
    minTime: z.string().nullable(), maxTime: z.string().nullable(),
  }),
  timestampType: TimestampTypeSchema,
  timestampTypeNote: z.string(),
  timestampTypes: z.record(z.string(), z.number().int()),
  leaderEpochs: z.array(LeaderEpochSchema),
  spacing: z.object({
    count: z.number().int().nonnegative(),
    percentile: z.number().nullable().describe('percentile used (may be below the requested one on small partitions)'),
    percentileMs: z.number().nullable(),
    medianMs: z.number().nullable(),
    k: z.number(),
    minGapMs: z.number().int(),
    thresholdMs: z.number().int(),
    rule: z.string(),
  }),
  gaps: z.array(GapSchema),
  offsetDiscontinuities: z.array(DiscontinuitySchema),
  offsetDiscontinuitiesOmitted: z.number().int().nonnegative(),
  clockSkew: z.object({
    backwards: z.number().int().nonnegative().describe(`records whose timestamp is earlier than an earlier offset's by more than the tolerance`),
    maxBackwardsMs: z.number().int().nonnegative(),
    toleranceMs: z.number().int().nonnegative(),
    examples: z.array(SkewExampleSchema),
    future: z.number().int().nonnegative().nullable().describe('records later than the last log line given (null without logs); counted among the latest records kept'),
    futureNote: z.string().nullable(),
  }),
  warnings: z.array(z.string()),
});
export type PartitionGapJson = z.infer<typeof PartitionGapSchema>;

export const DumpInputSchema = z.object({
  file: z.string(),
  sections: z.number().int().nonnegative(),
  sectionsOfTopic: z.number().int().nonnegative(),
  otherTopics: z.array(z.string()),
  linesRead: z.number().int().nonnegative(),
  headers: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  summaries: z.number().int().nonnegative(),
  indexEntries: z.number().int().nonnegative(),
  noise: z.number().int().nonnegative(),
  wrapped: z.number().int().nonnegative(),
  unrecognised: z.number().int().nonnegative(),
  cut: z.number().int().nonnegative(),
  cutLines: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type DumpInputJson = z.infer<typeof DumpInputSchema>;

export const GapReportSchema = z.object({
  schema: z.literal('kforensics/gap/v1'),
  topic: z.string(),
  timeZone: z.string(),
  rule: z.string().describe('the gap rule in words'),
  partitions: z.array(PartitionGapSchema),
  inputs: z.object({
    dumps: z.array(DumpInputSchema),
    logs: z.array(InputSchema),
    other: z.array(z.object({ file: z.string(), kind: z.string(), note: z.string() })),
  }),
});
export type GapReportJson = z.infer<typeof GapReportSchema>;

/** One NDJSON line of `gap --format ndjson`: a gap with its partition. */
export const GapRowSchema = GapSchema.extend({
  topic: z.string(),
  partition: z.number().int().nullable(),
  broker: z.string().nullable(),
});
export type GapRowJson = z.infer<typeof GapRowSchema>;
