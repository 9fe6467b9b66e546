import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { z } from 'zod';
import { REPO } from '../commands/run-cli.js';

/** The JSON Schema text published for a zod schema. */
export function jsonSchemaText(schema: z.ZodType): string {
  return `${JSON.stringify(z.toJSONSchema(schema), null, 2)}\n`;
}

/**
 * schema/<name>.v1.json is the published contract of a document, generated
 * from its zod schema. Regenerate on purpose (UPDATE_GOLDEN=1) when the model
 * changes, and read the diff.
 */
export function expectPublished(name: string, schema: z.ZodType): void {
  const path = join(REPO, 'schema', `${name}.v1.json`);
  const actual = jsonSchemaText(schema);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.CI) throw new Error(`${path} is missing; generate it with UPDATE_GOLDEN=1`);
    writeFileSync(path, actual);
  }
  expect(readFileSync(path, 'utf8'), `${path} is out of date: regenerate with UPDATE_GOLDEN=1 and read the diff`).toBe(actual);
}
