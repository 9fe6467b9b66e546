import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ExplainSchema, RulesDocSchema } from '../../src/model/catalogue.js';
import { GapReportSchema, GapRowSchema } from '../../src/model/gap.js';
import { ReportSchema } from '../../src/model/report.js';
import { EventSchema, TimelineSchema } from '../../src/model/timeline.js';
import { WindowsDocSchema } from '../../src/model/window.js';
import { REPO } from '../commands/run-cli.js';
import { expectPublished } from '../helpers/json-schema.js';

/** Every document a command prints, by the name of its schema file. */
const DOCUMENTS: Record<string, z.ZodType> = {
  timeline: TimelineSchema,
  'timeline-event': EventSchema,
  windows: WindowsDocSchema,
  gap: GapReportSchema,
  'gap-row': GapRowSchema,
  report: ReportSchema,
  rules: RulesDocSchema,
  explain: ExplainSchema,
};

describe('published JSON Schemas (schema/*.v1.json)', () => {
  it.each(Object.entries(DOCUMENTS))('schema/%s.v1.json is generated from src/model and up to date', (name, schema) => {
    expectPublished(name, schema);
  });

  it('every file under schema/ is one of these documents', () => {
    expect(readdirSync(join(REPO, 'schema')).sort()).toEqual(Object.keys(DOCUMENTS).map((n) => `${n}.v1.json`).sort());
  });

  it('one name for one thing across documents: a catalogue rule id is `rule`, the zone of the logs `timeZone`, a process `nodeKind`', () => {
    const keys = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties') for (const name of Object.keys(v as object)) keys.add(name);
        walk(v);
      }
    };
    for (const name of Object.keys(DOCUMENTS)) walk(JSON.parse(readFileSync(join(REPO, 'schema', `${name}.v1.json`), 'utf8')));
    expect(keys).toContain('rule');
    for (const other of ['ruleId', 'rule_id', 'ruleID', 'tz', 'zone', 'timezone', 'role', 'processKind']) expect(keys, other).not.toContain(other);
  });
});
