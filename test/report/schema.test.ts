import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/model/report.js';
import { REPO } from '../commands/run-cli.js';
import { expectPublished } from '../helpers/json-schema.js';

// schema/report.v1.json is the published contract of `report --format json`,
// generated from the zod schema (test/helpers/json-schema.ts).
const PATH = join(REPO, 'schema/report.v1.json');

describe('published JSON Schema of the report', () => {
  it('schema/report.v1.json is generated from src/model/report.ts and up to date', () => {
    expectPublished('report', ReportSchema);
  });

  it('describes the document: required sections and the schema id', () => {
    const schema = JSON.parse(readFileSync(PATH, 'utf8')) as { required: string[]; properties: Record<string, { const?: string }> };
    expect(schema.required).toEqual(expect.arrayContaining(['summary', 'timeline', 'windows', 'gaps', 'findings', 'inputQuality', 'appendix']));
    expect(schema.properties.schema!.const).toBe('kforensics/report/v1');
  });
});
