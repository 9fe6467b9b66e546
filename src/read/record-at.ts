import type { LogRecord } from '../model/record.js';
import { RecordReader } from '../readers/assembler.js';
import { fileLineSource } from '../sources/lines.js';
import { fileLineFix, planInputs, type Family, type PlannedFile } from './plan.js';
import type { Zone } from '../time/zone.js';
import { layoutFor, nodeOf } from './read.js';

/** What became of one line of one file, as the timeline reads it. */
export type LineFate =
  | { fate: 'missing' }
  | { fate: 'not-a-log'; kind: string | null; reason: string }
  | { fate: 'beyond-end'; file: PlannedFile; family: Family; reader: string; lines: number }
  | { fate: 'unrecognised'; file: PlannedFile; family: Family; reader: string; text: string; reason: string }
  | { fate: 'record'; file: PlannedFile; family: Family; reader: string; record: LogRecord; node: string; lastLine: number };

/**
 * Reads one file the way the timeline does (same discovery, sniffing, node
 * identity, prefix removal and layout) up to the record that holds `line`.
 */
export async function recordAt(path: string, line: number, options: { zone: Zone; nodeMap?: readonly string[] }): Promise<LineFate> {
  const plan = await planInputs([path], { nodeMap: options.nodeMap ?? [] });
  if (plan.missing.length > 0) return { fate: 'missing' };
  const other = plan.others[0];
  if (other) return { fate: 'not-a-log', kind: other.kind, reason: `${other.kind} output: read by the commands that use it (gap, report), not as a log` };
  const skipped = plan.skipped[0];
  const family = plan.families[0];
  const file = family?.files[0];
  if (!family || !file) return { fate: 'not-a-log', kind: null, reason: skipped?.reason ?? 'not a file kforensics reads' };

  const layout = layoutFor(file, family.defaultRole);
  let unrecognised: { text: string; reason: string } | undefined;
  const reader = new RecordReader(layout, options.zone, (n, text, reason) => {
    if (n === line) unrecognised = { text, reason };
  });
  const fix = fileLineFix(file);
  let lineNo = 0;
  let found: LogRecord | undefined;
  const done = (record: LogRecord | undefined): boolean => {
    if (record && record.line <= line && line <= record.line + record.folded) found = record;
    return found !== undefined || unrecognised !== undefined;
  };
  outer: for await (const batch of fileLineSource(file.path).batches()) {
    for (const raw of batch) {
      lineNo++;
      if (done(reader.push(fix ? fix(raw) : raw))) break outer;
    }
  }
  if (!found && !unrecognised) done(reader.end());
  const base = { file, family, reader: layout.name };
  if (unrecognised) return { fate: 'unrecognised', ...base, ...unrecognised };
  if (!found) return { fate: 'beyond-end', ...base, lines: lineNo };
  return { fate: 'record', ...base, record: found, node: nodeOf(found, family), lastLine: found.line + found.folded };
}
