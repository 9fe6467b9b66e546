import { z } from 'zod';
import { FieldValueSchema, NodeKindSchema, SeveritySchema } from './timeline.js';

/** One catalogue rule as `kforensics rules --json` prints it. */
export const RuleDocSchema = z.object({
  rule: z.string().describe('the rule id, as events and evidence name it'),
  title: z.string(),
  category: z.string(),
  severity: SeveritySchema,
  appliesTo: z.array(NodeKindSchema),
  loggers: z.array(z.string()).describe('loggers (Kafka layout) or classes (ZooKeeper layout) whose lines the rule is tried on; * for any'),
  keyword: z.union([z.string(), z.array(z.string())]).nullable().describe('a literal the message must hold before the pattern is tried'),
  pattern: z.string().describe('the regular expression tried on the message (JavaScript syntax); named groups become fields'),
  withCause: z.boolean().describe('also tried on the first folded line (an exception that carries the fact)'),
  fields: z.record(z.string(), z.enum(['string', 'int', 'partitions', 'ids'])),
  effect: z.record(z.string(), z.union([z.string(), z.boolean()])).nullable().describe('what the event means for outage windows: its signal, the fields it reads, and flags (true) that say more about the line'),
  samples: z.array(z.string()),
});
export type RuleDocJson = z.infer<typeof RuleDocSchema>;

export const RulesDocSchema = z.object({
  schema: z.literal('kforensics/rules/v1'),
  rules: z.array(RuleDocSchema).describe('in match order: the first rule that matches a record classifies it'),
});
export type RulesDocJson = z.infer<typeof RulesDocSchema>;

/** `kforensics explain FILE:LINE --json`: why one line was or was not classified. */
export const ExplainSchema = z.object({
  schema: z.literal('kforensics/explain/v1'),
  file: z.string(),
  line: z.number().int().positive(),
  timeZone: z.string().describe('--tz: the zone the log timestamps were read in'),
  input: z.object({
    kind: z.string().nullable().describe('what the file was sniffed as (kafka-server, zookeeper-native …); null when not a known kind'),
    reader: z.string().nullable().describe('the layout that read its lines (kafka-log4j, zookeeper-native); null when not read as a log'),
    node: z.string().nullable(),
  }),
  outcome: z.enum(['classified', 'unclassified', 'unrecognised', 'not-a-log']),
  why: z.string().describe('the outcome in one sentence'),
  record: z.object({
    line: z.number().int().positive().describe('the line the record starts on'),
    lastLine: z.number().int().positive(),
    time: z.string(),
    level: z.string(),
    severity: SeveritySchema,
    logger: z.string(),
    nodeKind: NodeKindSchema.describe('the process that wrote the record'),
    thread: z.string().optional(),
    myid: z.string().optional(),
    message: z.string(),
  }).nullable(),
  match: z.object({
    rule: z.string(),
    title: z.string(),
    category: z.string(),
    severity: SeveritySchema,
    fields: z.record(z.string(), FieldValueSchema),
    effect: z.record(z.string(), z.union([z.string(), z.boolean()])).nullable(),
  }).nullable().describe('the rule that classified the record'),
  closest: z.object({
    rule: z.string(),
    title: z.string(),
    stoppedAt: z.enum(['role', 'logger', 'keyword', 'pattern']).describe('the first test of the rule the record failed'),
    matched: z.string().describe('the text up to where the longest matching part of the pattern ends'),
    rest: z.string(),
    patternMatched: z.string(),
    patternNext: z.string().nullable().describe('the piece of the pattern that did not match next'),
  }).nullable().describe('for an unclassified record: the rule that came closest'),
});
export type ExplainJson = z.infer<typeof ExplainSchema>;
