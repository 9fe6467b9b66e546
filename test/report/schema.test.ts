import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ReportSchema } from '../../src/model/report.js';
import { REPO } from '../commands/run-cli.js';

// schema/report.v1.json is the published contract of `report --format json`,
// generated from the zod schema. Regenerate on purpose (UPDATE_GOLDEN=1) when
// src/model/report.ts changes, and read the diff.
const PATH = join(REPO, 'schema/report.v1.json');

export function reportJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(ReportSchema), null, 2)}\n`;
}

describe('published JSON Schema of the report', () => {
  it('schema/report.v1.json is generated from src/model/report.ts and up to date', () => {
    const actual = reportJsonSchema();
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(PATH)) {
      if (process.env.CI) throw new Error(`${PATH} is missing; generate it with UPDATE_GOLDEN=1`);
      writeFileSync(PATH, actual);
    }
    expect(readFileSync(PATH, 'utf8')).toBe(actual);
  });

  it('describes the document: required sections and the schema id', () => {
    const schema = JSON.parse(readFileSync(PATH, 'utf8')) as { required: string[]; properties: Record<string, { const?: string }> };
    expect(schema.required).toEqual(expect.arrayContaining(['summary', 'timeline', 'windows', 'gaps', 'findings', 'inputQuality', 'appendix']));
    expect(schema.properties.schema!.const).toBe('kforensics/report/v1');
  });
});
