import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ReportSchema } from '../../src/model/report.js';
import { buildReport } from '../../src/report/report-data.js';
import { Zone } from '../../src/time/zone.js';
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

describe('the report document as built', () => {
  // Built in the schema's key order with no key it lacks, the document passes the compiled check as it is
  // (model/check.ts); otherwise zod copies all of it (a second report in memory, seconds on a large one).
  it.each(['unclean-election-2024-03-18', 'account-event-2022-10-05', 'ha-test-2024-02-23'])('%s: is checked without zod copying it', async (fixture) => {
    const parse = vi.spyOn(ReportSchema, 'parse');
    try {
      const { report } = await buildReport([join(REPO, 'fixtures', fixture)], { zone: new Zone('UTC'), generatedAt: 'x' });
      expect(report.recommendations.length).toBeGreaterThan(0);
      if (fixture === 'unclean-election-2024-03-18') {
        // Every part that was built out of order: lost writes (divergent ranges, truncation lines), the zone check, the dumps read.
        expect(report.lostWrites?.[0]?.divergent.length).toBeGreaterThan(0);
        expect(report.lostWrites?.[0]?.truncations.length).toBeGreaterThan(0);
        expect(report.zoneCheck?.length).toBeGreaterThan(0);
        expect(report.inputQuality.dumps.length).toBeGreaterThan(0);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
