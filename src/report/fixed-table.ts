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
 * Printable ASCII and a few punctuation marks the renderers write (× … — – → ≤),
 * lines apart: each character one column wide, no escape code, the only white
 * space the space.
 */
const PLAIN = /^[\x20-\x7e\n×…—–→≤]*$/;

/** cli-table3's word wrap of one line of plain ASCII: words never broken, a word wider than the column on a line of its own. */
function wrapPlainLine(width: number, text: string, out: string[]): void {
  const split = text.split(/( +)/);
  let line = '';
  let length = 0;
  let space: string | undefined;
  for (let i = 0; i < split.length; i += 2) {
    const word = split[i]!;
    let next = length + word.length;
    if (length > 0 && space) next += space.length;
    if (next > width) {
      if (length !== 0) out.push(line);
      line = word;
      length = word.length;
    } else {
      line += (space ?? '') + word;
      length = next;
    }
    space = split[i + 1];
  }
  if (length) out.push(line);
}

/** One wrapped line of plain ASCII cut (with …) and padded to `width` columns. */
function fitPlain(line: string, width: number): string {
  if (line.length <= width) return line + ' '.repeat(width - line.length);
  return `${line.slice(0, width - 1)}${TRUNCATE}`;
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
  private readonly right: string;
  private readonly padLeft: string;
  private readonly padRight: string;
  private readonly blanks: string[];
  private readonly memo = new Map<string, string[]>();
  private readonly topLine: string;
  private readonly midLine: string;
  private readonly bottomLine: string;

  constructor(private readonly shape: TableShape) {
    const { widths, chars, paddingLeft, paddingRight } = shape;
    this.inner = widths.map((w) => w - paddingLeft - paddingRight);
    this.left = chars.left;
    this.right = chars.right;
    this.padLeft = ' '.repeat(paddingLeft);
    this.padRight = ' '.repeat(paddingRight);
    this.blanks = widths.map((w) => ' '.repeat(w));
    const rule = (first: string, line: string, join: string, last: string) =>
      first + widths.map((w) => line.repeat(w)).join(join) + last;
    this.topLine = rule(chars['top-left'], chars.top, chars['top-mid'], chars['top-right']);
    this.midLine = rule(chars['left-mid'], chars.mid, chars['mid-mid'], chars['right-mid']);
    this.bottomLine = rule(chars['bottom-left'], chars.bottom, chars['bottom-mid'], chars['bottom-right']);
  }

  /** A cell's lines, each as wide as its column less the padding. */
  private cell(content: string, column: number): string[] {
    const inner = this.inner[column]!;
    // A column narrower than an ellipsis and a character: cli-table3 alone knows what it does there.
    if (inner >= 2 && PLAIN.test(content)) {
      const lines: string[] = [];
      if (content.includes('\n')) for (const part of content.split('\n')) wrapPlainLine(inner, part, lines);
      else wrapPlainLine(inner, content, lines);
      for (let i = 0; i < lines.length; i++) lines[i] = fitPlain(lines[i]!, inner);
      return lines;
    }
    if (content.length > MEMO_LENGTH) return referenceCell(content, inner);
    const key = `${column}\u0000${content}`;
    let lines = this.memo.get(key);
    if (lines === undefined) {
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      lines = referenceCell(content, inner);
      this.memo.set(key, lines);
    }
    return lines;
  }

  /**
   * The rows as cli-table3 draws them (`new Table({...shape}).push(...rows).toString()`),
   * lines joined by a line feed.
   */
  render(rows: readonly (readonly string[])[]): string {
    return [...this.lines(rows)].join('\n');
  }

  /** render's lines one at a time, the rows read as they come (a table of any length in memory a row at a time). */
  *lines(rows: Iterable<readonly string[]>): Generator<string> {
    const columns = this.inner.length;
    let r = 0;
    for (const row of rows) {
      if (row.length !== columns) throw new Error(`a row of ${row.length} cells in a table of ${columns} columns`);
      const rule = r++ === 0 ? this.topLine : this.midLine;
      if (rule.length > 0) yield rule;
      const cells = row.map((content, c) => this.cell(content, c));
      const height = Math.max(1, ...cells.map((lines) => lines.length));
      for (let l = 0; l < height; l++) {
        let text = this.left;
        for (let c = 0; c < columns; c++) {
          if (c > 0) text += this.shape.chars.middle;
          const line = cells[c]![l];
          text += line === undefined ? this.blanks[c]! : this.padLeft + line + this.padRight;
        }
        text += this.right;
        if (text.length > 0) yield text;
      }
    }
    if (r > 0 && this.bottomLine.length > 0) yield this.bottomLine;
  }
}
