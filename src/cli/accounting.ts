import type { InputJson } from '../model/timeline.js';
import { printable } from '../sources/printable.js';

/**
 * Accounting, for stderr after the table: one summary line, and with
 * `perFile` a line per file (the commands list them with --verbose or when
 * stdout is a terminal, never into a pipe).
 */
export function renderAccounting(inputs: readonly InputJson[], perFile = true): string {
  const read = inputs.filter((i) => i.skipped === null);
  const skipped = inputs.filter((i) => i.skipped !== null);
  const sum = (k: 'linesRead' | 'records' | 'folded' | 'unrecognised' | 'badTimestamps') =>
    read.reduce((n, i) => n + i[k], 0);
  const lines = [
    `Read ${read.length} log file(s), ${sum('linesRead')} lines: ${sum('records')} records + ${sum('folded')} folded + ${sum('unrecognised')} unrecognised (${sum('badTimestamps')} with a bad timestamp).`,
  ];
  for (const i of perFile ? read : []) {
    const extra = [
      i.outOfOrder > 0 ? `${i.outOfOrder} out of order` : '',
      i.cutLines > 0 ? `${i.cutLines} over-long lines cut` : '',
      i.error ? `READ ERROR: ${i.error}` : '',
    ].filter(Boolean).join('; ');
    lines.push(`  ${printable(i.file)} [${i.kind}, ${i.node}] ${i.linesRead} = ${i.records} + ${i.folded} + ${i.unrecognised}${extra ? ` (${extra})` : ''}`);
  }
  if (skipped.length > 0) {
    const notRead = `Not read by the timeline: ${skipped.length} file(s) (--verbose lists them).`;
    if (perFile) lines.push(notRead);
    else lines[0] += ` ${notRead}`;
  }
  return lines.join('\n');
}

export function renderSkipped(inputs: readonly InputJson[]): string {
  return inputs.filter((i) => i.skipped !== null).map((i) => `  ${printable(i.file)}: ${i.skipped}`).join('\n');
}
