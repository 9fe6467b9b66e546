import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/commands/report.js';
import { ReportSchema, type ReportJson } from '../../src/model/report.js';
import { REPO } from '../commands/run-cli.js';

// A report of a fleet's logs has hundreds of thousands of key-event rows and
// evidence lines. Rendering it must not take the extremes of a list with
// `Math.max(...list)` (a spread puts every element on the call stack: past
// ~120,000 it is "Maximum call stack size exceeded", which ended a report
// over ten hosts' event files), and the document comes in pieces, none
// holding more than a row.

const ROWS = 200_000;

/** The bundled incident's report with its first key event repeated ROWS times (one pixel column of the chart, one Mermaid axis). */
function large(): ReportJson {
  const r = ReportSchema.parse(JSON.parse(readFileSync(join(REPO, 'test/report/golden/ha-test-2024-02-23.report.json'), 'utf8')));
  const row = r.timeline.rows[0]!;
  const a = r.appendix[0]!;
  const rows = new Array(ROWS);
  const appendix = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    rows[i] = { ...row, evidence: { file: row.evidence.file, line: i + 1 } };
    appendix[i] = { ...a, id: `ev-${i + 1}`, file: row.evidence.file, line: i + 1 };
  }
  return { ...r, timeline: { ...r.timeline, rows }, appendix };
}

describe('report: a fleet-sized report renders', () => {
  const r = large();
  it.each(['md', 'html', 'json'] as const)(`%s: ${ROWS} rows and evidence lines, in pieces of a row at most`, (format) => {
    let rows = 0;
    let longest = 0;
    let pieces = 0;
    for (const piece of render(format, r)) {
      // An appendix read from the files pauses the writing before it; this one is a list.
      if (typeof piece !== 'string') throw new Error('a pause in a report whose appendix is a list');
      pieces++;
      longest = Math.max(longest, piece.length);
      if (format === 'md' ? piece.startsWith('\n| ') && piece.includes('<sub>') : format === 'html' ? piece.startsWith('\n<tr><td class="time mono">') : false) rows++;
    }
    if (format !== 'json') expect(rows).toBe(ROWS);
    expect(pieces).toBeGreaterThan(2 * ROWS);
    // The HTML chart's tooltip and the first page are the longest pieces: far below the document's size.
    expect(longest).toBeLessThan(1 << 20);
  }, 120_000);
});
