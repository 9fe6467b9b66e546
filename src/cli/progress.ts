import { readFileSync } from 'node:fs';
import type { InputJson } from '../model/timeline.js';
import type { Plan } from '../read/plan.js';

/** What the progress counts: the files to be read, in groups (a plan's families; a command may add its dumps). */
export interface ProgressInputs {
  families: readonly { files: readonly { path: string; size: number }[] }[];
}

/** How often the line is redrawn (the first one is drawn at once). */
const EVERY_MS = 250;

/** Bytes this process has read so far (Linux: /proc/self/io), or undefined. */
function bytesReadByProcess(): number | undefined {
  try {
    const m = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Progress on stderr while the inputs are read: files done, bytes read (by
 * the process where the system says, else of the files done), elapsed
 * seconds. On a terminal only, one line drawn as reading starts, redrawn in
 * place and erased at the end; nothing when stderr is piped or redirected.
 *
 * While it runs, whatever else is written to stderr, or to stdout when that
 * is a terminal too (rows, warnings, --show-unrecognised lines), first erases
 * the line, which is drawn again at the next tick below what was written
 * (not while a write has left a line unfinished).
 */
export class Progress {
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly start = Date.now();
  private files = 0;
  private bytes = 0;
  private readonly totalFiles: number;
  private readonly totalBytes: number;
  private readonly sizes: Map<string, number>;
  private shown = false;
  /** The last write of another's ended its line (the progress line may be drawn). */
  private lineStart = true;
  private readonly base = bytesReadByProcess();
  /** The streams' own `write`, put back by `stop`. */
  private readonly originals = new Map<NodeJS.WriteStream, NodeJS.WriteStream['write']>();

  constructor(plan: ProgressInputs, private readonly out: NodeJS.WriteStream = process.stderr, other: NodeJS.WriteStream = process.stdout) {
    const files = plan.families.flatMap((f) => f.files);
    this.sizes = new Map(files.map((f) => [f.path, f.size]));
    this.totalFiles = files.length;
    this.totalBytes = files.reduce((n, f) => n + f.size, 0);
    if (out.isTTY === true && this.totalFiles > 0) {
      this.guard(out);
      if (other !== out && other.isTTY === true) this.guard(other);
      this.timer = setInterval(() => this.draw(), EVERY_MS);
      this.timer.unref();
      this.draw();
    }
  }

  /** Writes to `stream` erase the line first. */
  private guard(stream: NodeJS.WriteStream): void {
    const original = stream.write;
    this.originals.set(stream, original);
    const erase = (): void => this.clear();
    const noteEnd = (chunk: unknown): void => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array && chunk.length > 0 ? String.fromCharCode(chunk[chunk.length - 1]!) : '';
      if (text.length > 0) this.lineStart = text.endsWith('\n');
    };
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      erase();
      noteEnd(chunk);
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as NodeJS.WriteStream['write'];
  }

  /** Writes to the progress's own stream, past the guard. */
  private put(text: string): void {
    const write = this.originals.get(this.out) ?? this.out.write;
    write.call(this.out, text);
  }

  /** A file is done (its accounting came). */
  done(input: Pick<InputJson, 'file'>): void {
    this.files++;
    this.bytes += this.sizes.get(input.file) ?? 0;
  }

  private draw(): void {
    if (!this.lineStart) return;
    const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 1 : 0);
    const seconds = ((Date.now() - this.start) / 1000).toFixed(1);
    const now = this.base === undefined ? undefined : bytesReadByProcess();
    const read = now === undefined ? this.bytes : Math.min(this.totalBytes, Math.max(this.bytes, now - this.base!));
    this.put(`\r\u001b[Kreading: ${mb(read)} of ${mb(this.totalBytes)} MB, ${this.files} of ${this.totalFiles} file(s) done, ${seconds} s`);
    this.shown = true;
  }

  /** Erases the line (before output goes to the same terminal); it is drawn again at the next tick. */
  clear(): void {
    if (this.shown) this.put('\r\u001b[K');
    this.shown = false;
  }

  /** Stops, erases the line and gives the streams their own `write` back. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
    for (const [stream, write] of this.originals) stream.write = write;
    this.originals.clear();
  }
}

/** Progress over a plan's logs and, for the commands that read them too (gap, report), its dumps. */
export function planProgress(plan: Pick<Plan, 'families' | 'others'>, withDumps: boolean): Progress {
  const dumps = withDumps ? plan.others.filter((f) => f.kind === 'dump-log-segments') : [];
  return new Progress({ families: [...plan.families, { files: dumps }] });
}
