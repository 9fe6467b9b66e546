import { z } from 'zod';
import { InputSchema } from './timeline.js';
import { RuntimeZoneChecksSchema, ZoneCheckSchema } from './window.js';

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
  estimatedMissing: z.number().int().nonnegative().nullable().describe('records missing from this copy between the two records: by the idempotent producer\'s sequence numbers when both sides carry them, else pre-gap rate × duration − 1'),
  estimateMethod: z.string().describe('how estimatedMissing was found'),
  lostAcknowledgedInGap: z.number().int().nonnegative().describe('of those, records a deposed leader wrote with a CreateTime inside the gap and lost to truncation (see lostWrites)'),
  neverWritten: z.number().int().nonnegative().nullable().describe('estimatedMissing − lostAcknowledgedInGap when loss is claimed; null when the evidence does not show records were lost (see meaning)'),
  meaning: z.object({
    kind: z.enum(['given-up', 'truncated', 'buffered', 'unexplained']),
    lossClaimed: z.boolean(),
    text: z.string(),
  }).describe('what the gap means and why'),
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
  leaderChanges: z.array(z.object({
    before: RecordRefSchema, after: RecordRefSchema, spacingMs: z.number().int(), epochBefore: z.number().int().nullable(), epochAfter: z.number().int().nullable(),
    gap: z.boolean().describe('the spacing is also a gap (listed under gaps)'),
    text: z.string(),
  })).describe('where the leader epoch changes in this copy: the record with the largest timestamp before and the first of the new epoch'),
  location: z.string().describe('directory the dumps of this copy were read from'),
  views: z.array(z.object({ file: z.string(), segment: z.string(), level: z.enum(['record', 'batch']), records: z.number().int(), batches: z.number().int() }))
    .describe('dump files of this copy: record-level views give each record its own CreateTime; batch-level views give epochs, CRCs and producers'),
  corruption: z.array(z.object({ file: z.string(), line: z.number().int(), offset: z.number().int().nullable(), text: z.string() }))
    .describe('records or batches marked isvalid: false (CRC mismatch) and invalid bytes at a segment end'),
  spacing: z.object({
    count: z.number().int().nonnegative(),
    percentile: z.number().nullable().describe('percentile used (may be below the requested one on small partitions)'),
    percentileMs: z.number().nullable(),
    medianMs: z.number().nullable(),
    k: z.number(),
    minGapMs: z.number().int(),
    thresholdMs: z.number().int(),
    criterion: z.string().describe('the gap criterion applied to this copy, in words, with its numbers'),
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

const LineSchema = z.object({ file: z.string(), line: z.number().int() });

export const LostWritesSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nullable(),
  copies: z.number().int().describe('copies of the partition compared (one per broker and dump location)'),
  epochStarts: z.array(z.object({ epoch: z.number().int(), startOffset: z.number().int(), source: z.string() })),
  divergent: z.array(z.object({
    broker: z.string().nullable(), location: z.string(), epoch: z.number().int(), epochEnd: z.number().int(), nextEpoch: z.number().int(),
    fromOffset: z.number().int(), toOffset: z.number().int(), records: z.number().int(),
    minCreateTime: z.number().int().nullable(), maxCreateTime: z.number().int().nullable(),
    from: z.string().nullable(), to: z.string().nullable(),
    firstLine: LineSchema, lastLine: LineSchema,
  })).describe('records of an epoch at offsets a later epoch starts at or beyond: written by a deposed leader, removed when it follows the new one'),
  records: z.number().int().describe('distinct divergent records'),
  mismatches: z.array(z.object({ offset: z.number().int(), epoch: z.number().int(), what: z.string(),
    a: z.object({ broker: z.string().nullable(), file: z.string(), line: z.number().int() }),
    b: z.object({ broker: z.string().nullable(), file: z.string(), line: z.number().int() }) })),
  truncations: z.array(z.object({
    node: z.string(), topic: z.string(), partition: z.number().int(), offset: z.number().int(), highWatermark: z.number().int().nullable(),
    time: z.string(), epochMs: z.number().int(), file: z.string(), line: z.number().int(),
    accountedBy: z.number().int().nullable().describe('divergent records of that broker the dumps show at or after the offset'),
    lowerBound: z.number().int().describe('records the line alone proves removed'),
  })),
  count: z.number().int().describe('acknowledged writes lost: divergent records, plus the least unaccounted truncation lines prove'),
  countMethod: z.string(),
});
export type LostWritesJson = z.infer<typeof LostWritesSchema>;

// The zone checks live with the windows' schema, which every document's module imports.
export { ZoneCheckSchema, type ZoneCheckJson } from './window.js';

export const GapReportSchema = z.object({
  schema: z.literal('kforensics/gap/v1'),
  topic: z.string(),
  timeZone: z.string(),
  displayTimeZone: z.string().optional().describe('--display-tz: the zone whose offset the times carry, when not --tz'),
  criterion: z.string().describe('the gap criterion in words (what spacing between records counts as a gap)'),
  partitions: z.array(PartitionGapSchema),
  lostWrites: z.array(LostWritesSchema).describe('per partition: acknowledged writes lost to truncation, from all copies and the logs\' truncation lines'),
  zoneCheck: ZoneCheckSchema,
  runtimeZoneCheck: RuntimeZoneChecksSchema,
  nodeZones: z.array(z.object({
    node: z.string(), offsetMinutes: z.number().int().nullable(), timeZone: z.string(),
    how: z.enum(['stated', 'dumps', 'relative', 'assumed', 'unknown']), evidence: z.string(),
  })).optional().describe('--tz auto: the zone inferred for each node, how, and from which lines'),
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
