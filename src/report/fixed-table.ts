import { createRequire } from 'node:module';

/**
 * Rows of fixed-width columns, word-wrapped, laid out exactly as cli-table3
 * lays out a table given `colWidths` and `wordWrap` (byte for byte: a
 * property test compares the two on random text), at a fraction of its cost.
 *
 * cli-table3 places every cell of a table on a grid before drawing it (its
 * placement is quadratic in the rows: a windows table of 40,000 rows took
 * most of a minute), measures each cell with a regular expression per call
 * and measures the same text several times over. Here a cell of printable
 * ASCII (no escape code, no wide or zero-width character: a column is a
 * character) is wrapped, cut and padded with lengths alone; any other cell
 * (a few marks aside) goes through cli-table3's own wrapping, colour carrying, truncation and
 * padding, so colour and wide characters come out as cli-table3 draws them.
 */

/** The border characters, by cli-table3's names for them. */
export interface TableChars {
  top: string; 'top-mid': string; 'top-left': string; 'top-right': string;
  bottom: string; 'bottom-mid': string; 'bottom-left': string; 'bottom-right': string;
  left: string; 'left-mid': string; mid: string; 'mid-mid': string; right: string; 'right-mid': string; middle: string;
}

/** cli-table3's default borders (box-drawing lines). */
export const BOXED: TableChars = {
  top: '─', 'top-mid': '┬', 'top-left': '┌', 'top-right': '┐',
  bottom: '─', 'bottom-mid': '┴', 'bottom-left': '└', 'bottom-right': '┘',
  left: '│', 'left-mid': '├', mid: '─', 'mid-mid': '┼', right: '│', 'right-mid': '┤', middle: '│',
};

/** No borders: columns one space apart. */
export const BORDERLESS: TableChars = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ',
};

/** A table's shape: what cli-table3 is given as colWidths, chars and padding (wordWrap on, no colours on head or borders). */
export interface TableShape {
  widths: readonly number[];
  chars: TableChars;
  paddingLeft: number;
  paddingRight: number;
}

interface Cli3Utils {
  strlen(text: string): number;
  pad(text: string, len: number, pad: string, dir?: string): string;
  truncate(text: string, len: number, char?: string): string;
  wordWrap(width: number, text: string, onWordBoundary?: boolean): string[];
  colorizeLines(lines: string[]): string[];
}
// cli-table3's cell functions: the reference for every cell that is not plain ASCII (loaded
// when the first such cell comes: with its width tables, ~20 ms of a start-up).
let cli3: Cli3Utils | undefined;
const utils = (): Cli3Utils => (cli3 ??= createRequire(import.meta.url)('cli-table3/src/utils.js') as Cli3Utils);

const TRUNCATE = '…';

/**
 * About the longest piece of a table renderPieces makes, in UTF-16 units. A
 * string over V8's largest ordinary object (128 KiB, 64 Ki units of these
 * two-byte rows) gets a page of its own, and writing such strings out
 * (flattening the row's concatenations, encoding) took about five times as
 * long per character: 0.38 s for 63 MB of the windows table in blocks of
 * 400 rows, 0.07 s in blocks of 100.
 */
const PIECE = 16_384;

/**
 * Whether a cell is plain: printable ASCII and a few punctuation marks the
 * renderers write (× … — – → ≤), lines apart: each character one column
 * wide, no escape code, the only white space the space. NOT_PLAIN for any
 * other; ONE_LINE or LINES (it holds a line feed) for a plain one.
 */
const NOT_PLAIN = 0;
const ONE_LINE = 1;
const LINES = 2;
const PLAIN = /^[\x20-\x7e\n×…—–→≤]*$/;
function plainKind(text: string): number {
  if (!PLAIN.test(text)) return NOT_PLAIN;
  return text.includes('\n') ? LINES : ONE_LINE;
}

/**
 * cli-table3's word wrap of one line of plain ASCII (`text` from `from` to
 * `to`): words never broken, a word wider than the column on a line of its
 * own. Its words and the runs of spaces between them are read in place (as
 * `split(/( +)/)` would give them, a space run's length all that matters),
 * with cli-table3's arithmetic: a line's length counts the space runs between
 * its words, not one it begins with.
 */
function wrapPlainLine(width: number, text: string, from: number, to: number, out: string[]): void {
  // A line that fits and starts with a word is its own wrap (most cells: a time, a node, a short message).
  if (to - from <= width && to > from && text.charCodeAt(from) !== 0x20) {
    out.push(from === 0 && to === text.length ? text : text.slice(from, to));
    return;
  }
  // The line being built: text[lineFrom, lineTo), `length` columns by cli-table3's count.
  let lineFrom = from;
  let lineTo = from;
  let length = 0;
  // The space run before the next word (none before the first).
  let run = 0;
  let i = from;
  for (;;) {
    const wordFrom = i;
    const space = text.indexOf(' ', i);
    i = space === -1 || space > to ? to : space;
    const word = i - wordFrom;
    let next = length + word;
    if (length > 0 && run > 0) next += run;
    if (next > width) {
      if (length !== 0) out.push(text.slice(lineFrom, lineTo));
      lineFrom = wordFrom;
      length = word;
    } else {
      length = next;
    }
    lineTo = i;
    if (i >= to) break;
    const spaceFrom = i;
    while (i < to && text.charCodeAt(i) === 0x20) i++;
    run = i - spaceFrom;
  }
  if (length) out.push(text.slice(lineFrom, lineTo));
}

/** A cell's lines, each `inner` columns wide (padding not included): as cli-table3's Cell computes and draws them. */
function referenceCell(content: string, inner: number): string[] {
  const { colorizeLines, wordWrap, pad, truncate } = utils();
  return colorizeLines(wordWrap(inner, content, true)).map((line) => pad(truncate(line, inner, TRUNCATE), inner, ' '));
}

/** Short cells that are not plain (a painted severity, a title with a dash) repeat: their lines are kept. */
const MEMO_LENGTH = 96;
const MEMO_SIZE = 4096;

export class FixedTable {
  private readonly inner: number[];
  private readonly left: string;
  private readonly padLeft: string;
  private readonly memo = new Map<string, string[]>();
  private readonly topLine: string;
  private readonly midLine: string;
  private readonly bottomLine: string;
  /**
   * By column, by the width of a plain line (0 to the column's inner width):
   * what follows the line — the spaces that pad it, the right padding, the
   * border after it (between columns, or the right one). Made once: a row's
   * line is its cells' lines each followed by one of these.
   */
  private readonly after: string[][];
  /** By column: what follows a line of cli-table3's, already as wide as the column less the padding. */
  private readonly tail: string[];
  /** By column: a blank cell line and the border after it. */
  private readonly blank: string[];
  /** By column: its lines in the row being drawn (reused row to row), and whether they are cli-table3's. */
  private readonly lines: string[][];
  private readonly drawn: boolean[];

  constructor(shape: TableShape) {
    const { widths, chars, paddingLeft, paddingRight } = shape;
    this.inner = widths.map((w) => w - paddingLeft - paddingRight);
    this.left = chars.left;
    this.padLeft = ' '.repeat(paddingLeft);
    const rule = (first: string, line: string, join: string, last: string) =>
      first + widths.map((w) => line.repeat(w)).join(join) + last;
    this.topLine = rule(chars['top-left'], chars.top, chars['top-mid'], chars['top-right']);
    this.midLine = rule(chars['left-mid'], chars.mid, chars['mid-mid'], chars['right-mid']);
    this.bottomLine = rule(chars['bottom-left'], chars.bottom, chars['bottom-mid'], chars['bottom-right']);
    const border = (c: number) => (c === widths.length - 1 ? chars.right : chars.middle);
    this.tail = widths.map((_, c) => ' '.repeat(paddingRight) + border(c));
    this.after = this.inner.map((inner, c) => {
      const out: string[] = [];
      for (let n = 0; n <= inner; n++) out.push(' '.repeat(inner - n) + this.tail[c]!);
      return out;
    });
    this.blank = widths.map((w, c) => ' '.repeat(w) + border(c));
    this.lines = widths.map(() => []);
    this.drawn = widths.map(() => false);
  }

  /**
   * A cell's lines into `out`: plain lines (not padded, maybe wider than
   * the column: fitted as the row is drawn) and false; or cli-table3's lines,
   * each as wide as its column less the padding, and true.
   */
  private cell(content: string, column: number, out: string[]): boolean {
    const inner = this.inner[column]!;
    // A column narrower than an ellipsis and a character: cli-table3 alone knows what it does there.
    const kind = inner >= 2 ? plainKind(content) : NOT_PLAIN;
    if (kind === ONE_LINE) {
      wrapPlainLine(inner, content, 0, content.length, out);
      return false;
    }
    if (kind === LINES) {
      let from = 0;
      for (let nl = content.indexOf('\n'); nl !== -1; nl = content.indexOf('\n', from)) {
        wrapPlainLine(inner, content, from, nl, out);
        from = nl + 1;
      }
      wrapPlainLine(inner, content, from, content.length, out);
      return false;
    }
    let lines: string[] | undefined;
    if (content.length > MEMO_LENGTH) {
      lines = referenceCell(content, inner);
    } else {
      const key = `${column}\u0000${content}`;
      lines = this.memo.get(key);
      if (lines === undefined) {
        if (this.memo.size >= MEMO_SIZE) this.memo.clear();
        lines = referenceCell(content, inner);
        this.memo.set(key, lines);
      }
    }
    for (const line of lines) out.push(line);
    return true;
  }

  /**
   * The rows as cli-table3 draws them (`new Table({...shape}).push(...rows).toString()`),
   * lines joined by a line feed.
   */
  render(rows: readonly (readonly string[])[]): string {
    return this.renderPart(rows, true, true);
  }

  /**
   * Some of a table's rows, for a table written a block at a time: the
   * blocks, `first` the first and `last` the last, joined by line feeds are
   * render() of all their rows (a block after the first begins with the
   * rule between rows; the last ends with the bottom border).
   */
  renderPart(rows: readonly (readonly string[])[], first: boolean, last: boolean): string {
    return this.renderPieces(rows, first, last).join('\n');
  }

  /**
   * renderPart's lines in pieces of whole lines, none much longer than
   * PIECE: the pieces joined by line feeds are renderPart's text. What
   * writes a table out writes these, not one string per block.
   */
  renderPieces(rows: readonly (readonly string[])[], first: boolean, last: boolean): string[] {
    const pieces: string[] = [];
    let out = '';
    // Whether `out` holds a line (lines are joined by line feeds).
    let any = false;
    const columns = this.inner.length;
    const { inner, lines, drawn, after, tail, blank, padLeft } = this;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (row.length !== columns) throw new Error(`a row of ${row.length} cells in a table of ${columns} columns`);
      const rule = r === 0 && first ? this.topLine : this.midLine;
      if (rule.length > 0) {
        out += any ? `\n${rule}` : rule;
        any = true;
      }
      let height = 1;
      for (let c = 0; c < columns; c++) {
        const cellLines = lines[c]!;
        cellLines.length = 0;
        drawn[c] = this.cell(row[c]!, c, cellLines);
        if (cellLines.length > height) height = cellLines.length;
      }
      for (let l = 0; l < height; l++) {
        let text = this.left;
        for (let c = 0; c < columns; c++) {
          const line = lines[c]![l];
          if (line === undefined) {
            text += blank[c]!;
            continue;
          }
          if (padLeft.length > 0) text += padLeft;
          const width = inner[c]!;
          if (drawn[c]) text += line + tail[c]!;
          else if (line.length <= width) text += line + after[c]![line.length]!;
          else text += line.slice(0, width - 1) + TRUNCATE + after[c]![width]!;
        }
        if (text.length > 0) {
          out += any ? `\n${text}` : text;
          any = true;
        }
      }
      if (out.length >= PIECE) {
        pieces.push(out);
        out = '';
        any = false;
      }
    }
    if (last && (rows.length > 0 || !first) && this.bottomLine.length > 0) out += any ? `\n${this.bottomLine}` : this.bottomLine;
    if (out.length > 0 || pieces.length === 0) pieces.push(out);
    return pieces;
  }
}
