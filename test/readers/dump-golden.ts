import { readFileSync } from 'node:fs';
import { DumpReader, type DumpCounts, type DumpEntry, type DumpSection } from '../../src/readers/dump-log-segments.js';

export interface Described {
  counts: DumpCounts;
  sections: Omit<DumpSection, never>[];
  entries: Record<string, unknown>[];
  unrecognised: { line: number; text: string }[];
}

/** Reads dump text and returns a compact, comparable description: nulls dropped, sections by index. */
export function describeDump(text: string): Described {
  const sections: DumpSection[] = [];
  const entries: Record<string, unknown>[] = [];
  const unrecognised: { line: number; text: string }[] = [];
  const reader = new DumpReader((e: DumpEntry) => {
    let i = sections.indexOf(e.section);
    if (i === -1) i = sections.push(e.section) - 1;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'section' || v === null || v === undefined) continue;
      out[k] = v;
    }
    out.section = i;
    entries.push(out);
  }, (line, text) => unrecognised.push({ line, text }));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) reader.push(l.replace(/\r$/, ''));
  reader.end();
  return { counts: reader.counts, sections, entries, unrecognised };
}

export function describeFile(path: string): Described {
  return describeDump(readFileSync(path, 'utf8'));
}

export function accountedFor(c: DumpCounts): number {
  return c.headers + c.batches + c.records + c.summaries + c.indexEntries + c.noise + c.wrapped + c.unrecognised;
}
