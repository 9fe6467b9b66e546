/**
 * The timeline and windows tables are laid out by fixed-table.ts instead of
 * cli-table3; cli-table3 stays the reference: on random cells (wide
 * characters, colour, long words, empty cells, several lines) and every
 * column width the renderers use, both draw the same bytes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Table from 'cli-table3';
import { BORDERLESS, BOXED, FixedTable, type TableShape } from '../../src/report/fixed-table.js';
import { timelineWidths } from '../../src/report/table.js';
import { PARAMS, TIMEOUT } from './arbitraries.js';

function reference(shape: TableShape, rows: string[][]): string {
  const table = new Table({
    chars: shape.chars,
    colWidths: [...shape.widths],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], 'padding-left': shape.paddingLeft, 'padding-right': shape.paddingRight },
  });
  table.push(...rows);
  return table.toString();
}

const PAINTS: [string, string][] = [['\u001b[31m', '\u001b[39m'], ['\u001b[33m', '\u001b[39m'], ['\u001b[1m', '\u001b[22m'], ['\u001b[2m', '\u001b[22m'], ['\u001b[1m\u001b[31m', '\u001b[39m\u001b[22m']];

/**
 * A word: ASCII (some about as wide as a column: cut with an ellipsis, or on
 * a line of their own), wide (CJK, emoji), combining, the marks the fast path
 * accepts, control characters, any code point.
 */
const wordArb = (widths: readonly number[]) => fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[!-~]{1,12}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 90 }).map((n) => 'w'.repeat(n)) },
  { weight: 2, arbitrary: fc.constantFrom(...widths.flatMap((w) => [w - 3, w - 2, w - 1, w])).map((n) => 'x'.repeat(Math.max(1, n))) },
  { weight: 3, arbitrary: fc.constantFrom('漢字', '카프카', 'ｆｕｌｌ', '😀', '👍🏽', 'e\u0301', '×3', '…', '—', '–', '→', '≤', '©', '\u00a0', '\t', '\u0007', '\\x1b') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
);
const spaceArb = fc.oneof({ weight: 8, arbitrary: fc.constant(' ') }, { weight: 3, arbitrary: fc.constantFrom('  ', '   ', '\n', ' \n ', '\n  ', '\t') });
const painted = (arb: fc.Arbitrary<string>) =>
  fc.tuple(arb, fc.option(fc.constantFrom(...PAINTS), { freq: 4 })).map(([t, p]) => (p ? `${p[0]}${t}${p[1]}` : t));

/** A cell: empty, or words and spaces (some painted, a paint sometimes spanning words). */
const cellArb = (widths: readonly number[]) => fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n') },
  {
    weight: 8,
    arbitrary: fc.array(fc.tuple(painted(wordArb(widths)), spaceArb), { minLength: 1, maxLength: 24 })
      .chain((parts) => fc.tuple(fc.constant(parts.map(([w, s]) => w + s).join('')), fc.boolean(), fc.option(fc.constantFrom(...PAINTS), { freq: 5 })))
      .map(([text, trim, p]) => {
        const t = trim ? text.trim() : ` ${text}`;
        return p ? `${p[0]}${t}${p[1]}` : t;
      }),
  },
);

/** Every width the timeline can be given (any terminal, or none), and the windows table's. */
const shapeArb: fc.Arbitrary<TableShape> = fc.oneof(
  fc.option(fc.integer({ min: 1, max: 260 }), { nil: undefined })
    .map((columns) => ({ widths: timelineWidths(columns), chars: BORDERLESS, paddingLeft: 0, paddingRight: 1 })),
  fc.constant({ widths: [19, 22, 25, 25, 13, 60], chars: BOXED, paddingLeft: 1, paddingRight: 1 }),
  fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 })
    .chain((widths) => fc.constantFrom<TableShape>({ widths, chars: BOXED, paddingLeft: 1, paddingRight: 1 }, { widths, chars: BORDERLESS, paddingLeft: 0, paddingRight: 1 })),
);

describe('fixed-width rows (fixed-table.ts) against cli-table3', () => {
  it('draw the same bytes on random cells at every width', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.array(cellArb(shape.widths), { minLength: shape.widths.length, maxLength: shape.widths.length }), { maxLength: 6 }))),
        ([shape, rows]) => {
          expect(new FixedTable(shape).render(rows)).toBe(reference(shape, rows));
        },
      ),
      { ...PARAMS, numRuns: Math.max(PARAMS.numRuns ?? 0, 1000) },
    );
  }, TIMEOUT);

  it('drawn a block at a time, the blocks joined by line feeds are the table drawn whole', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.tuple(
          fc.constant(shape),
          fc.array(fc.array(cellArb(shape.widths), { minLength: shape.widths.length, maxLength: shape.widths.length }), { minLength: 1, maxLength: 8 }),
          fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }),
        )),
        ([shape, rows, cuts]) => {
          const table = new FixedTable(shape);
          // The rows cut into blocks at the given places (each block at least one row).
          const ends = [...new Set(cuts.filter((c) => c < rows.length))].sort((a, b) => a - b);
          const blocks = [...ends, rows.length].map((end, i, all) => rows.slice(i === 0 ? 0 : all[i - 1], end));
          const parts = blocks.map((block, i) => table.renderPart(block, i === 0, i === blocks.length - 1));
          expect(parts.join('\n')).toBe(table.render(rows));
        },
      ),
      { ...PARAMS, numRuns: Math.max(PARAMS.numRuns ?? 0, 500) },
    );
  }, TIMEOUT);

  it('drawn in pieces, the pieces joined by line feeds are the block, and none is much over 16 Ki units', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.tuple(
          fc.constant(shape),
          fc.array(fc.array(cellArb(shape.widths), { minLength: shape.widths.length, maxLength: shape.widths.length }), { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 200 }), fc.boolean(), fc.boolean(),
        )),
        ([shape, some, times, first, last]) => {
          const table = new FixedTable(shape);
          // Long enough, most of the time, to be cut into several pieces.
          const rows = Array.from({ length: times }, () => some).flat();
          const pieces = table.renderPieces(rows, first, last);
          expect(pieces.join('\n')).toBe(table.renderPart(rows, first, last));
          // A piece is cut after the row that takes it past 16 Ki units: no longer than that and the widest row drawn.
          const widestRow = Math.max(...some.map((row) => table.renderPart([row], true, true).length));
          for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(16_384 + widestRow + 1);
          if (pieces.join('\n').length > 2 * (16_384 + widestRow)) expect(pieces.length).toBeGreaterThan(1);
        },
      ),
      { ...PARAMS, numRuns: 30 },
    );
  }, TIMEOUT);

  it('the same table drawn twice is the same (memoised cells)', () => {
    const shape: TableShape = { widths: timelineWidths(), chars: BORDERLESS, paddingLeft: 0, paddingRight: 1 };
    const table = new FixedTable(shape);
    const rows = [['2024-01-01 00:00:00.000', 'broker-1', '\u001b[33mwarn\u001b[39m', 'Fetcher — removed', 'a '.repeat(60)]];
    expect(table.render(rows)).toBe(reference(shape, rows));
    expect(table.render(rows)).toBe(reference(shape, rows));
  });
});
