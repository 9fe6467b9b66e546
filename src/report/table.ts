import { colour as ansis } from '../cli/colour.js';
import type { Severity } from '../model/record.js';
import type { CompactRow } from '../timeline/compact.js';
import type { Zone } from '../time/zone.js';
import { printable } from '../sources/printable.js';
import { BORDERLESS, FixedTable } from './fixed-table.js';

/** Time, node, severity, event, details: 162 columns with the spaces between them. */
const WIDTHS = [25, 14, 9, 40, 70];

/**
 * The table's column widths on a terminal `columns` wide: the event and
 * details columns shrink (their text wraps) so that no row is wider than the
 * terminal, down to 80 columns. Undefined (not a terminal): the fixed widths.
 */
export function timelineWidths(columns?: number): number[] {
  const full = WIDTHS.reduce((a, b) => a + b, 0) + WIDTHS.length - 1;
  if (columns === undefined || !(columns > 0) || columns >= full) return WIDTHS;
  const [time, node, severity] = WIDTHS as [number, number, number];
  const rest = Math.max(columns, 80) - time - node - severity - (WIDTHS.length - 1);
  const event = Math.max(12, Math.min(40, Math.round(rest * 0.36)));
  return [time, node, severity, event, rest - event];
}

/**
 * Severity colours. ansis paints only where stdout is a terminal that shows
 * colour, and honours NO_COLOR and FORCE_COLOR: piped output stays plain.
 */
const PAINT: Record<Severity, (text: string) => string> = {
  debug: ansis.dim,
  info: (text) => text,
  warn: ansis.yellow,
  error: ansis.red,
  critical: ansis.bold.red,
};

/** Each severity's own name painted, made once: a style is a call through a proxy when colour is off, too slow to make per row. */
const PAINTED = new Map<Severity, string>();

export function paintSeverity(severity: Severity, text: string = severity): string {
  if (text !== severity) return PAINT[severity](text);
  let painted = PAINTED.get(severity);
  if (painted === undefined) PAINTED.set(severity, (painted = PAINT[severity](severity)));
  return painted;
}

/** The timeline's rows as cli-table3 draws them borderless with word wrap, one space between columns (fixed-table.ts). */
function timelineTable(widths: readonly number[]): FixedTable {
  return new FixedTable({ widths, chars: BORDERLESS, paddingLeft: 0, paddingRight: 1 });
}

// The `[ReplicaFetcherManager on broker 2] ` log ident repeats what the Node
// column says; the table drops it (JSON keeps the message whole).
const LOG_IDENT = /^\[[^\]]{1,80}\][,:]? /;

function details(row: CompactRow, zone: Zone): string {
  const message = row.first.message.replace(LOG_IDENT, '');
  const text = message.length > 200 ? `${message.slice(0, 199)}…` : message;
  if (row.count === 1) return printable(text);
  return printable(`×${row.count} until ${zone.formatShort(row.last.time).slice(11)}: ${text}`);
}

/**
 * The timeline as a table, streamed in blocks of fixed-width rows so a long
 * timeline never sits in memory as one table: `head()` first, then the rows
 * as the pass releases them (`rows`, batch by batch), each block printed as
 * it is returned. Blocks joined by line feeds are the table of all the rows
 * (the columns do not depend on the rows).
 */
export class TimelineTable {
  private readonly table: FixedTable;

  constructor(private readonly zone: Zone, columns?: number) {
    this.table = timelineTable(timelineWidths(columns));
  }

  /** The header row. */
  head(): string {
    return this.table.render([[`Time (${this.zone.name})`, 'Node', 'Severity', 'Event', 'Details']]);
  }

  /**
   * Rows, in order, as a block to print now (in pieces, lines apart:
   * FixedTable.renderPieces); undefined for none. A batch's
   * rows go out with it, not kept for a larger block: rows held across the
   * batches of a pass (each cell's text holding its record's line) were
   * moved to the old generation, ~80 MB at 1 GiB of log.
   */
  rows(rows: readonly CompactRow[]): string[] | undefined {
    if (rows.length === 0) return undefined;
    const { zone } = this;
    const cells: string[][] = [];
    for (const row of rows) {
      const e = row.first;
      cells.push([zone.formatShort(e.time), e.node, paintSeverity(e.severity), e.rule?.title ?? `(${e.category})`, details(row, zone)]);
    }
    return this.table.renderPieces(cells, true, true);
  }
}
