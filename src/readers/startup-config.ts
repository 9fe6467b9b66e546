import { fileLineFix, type PlannedFile } from '../read/plan.js';
import type { LineWatch } from '../read/read.js';

/**
 * The configuration a Kafka broker logs at every start (`KafkaConfig values:`
 * from kafka.server.KafkaConfig, then one `\tkey = value` line per setting,
 * in alphabetical order). The log readers fold these lines into the start-up
 * record and keep only its first lines, so this reader reads them on its own:
 * it is what the broker actually ran with, defaults filled in, which
 * server.properties alone does not say.
 *
 *   [2026-11-21 04:39:50,559] INFO KafkaConfig values:
 *   	advertised.host.name = null
 *   	auto.create.topics.enable = true
 *   	…
 */
export interface StartupConfig {
  file: string;
  /** Line of `KafkaConfig values:`. */
  line: number;
  /** The record's timestamp as written (`2026-11-21 04:39:50,559`), for ordering the starts of one file. */
  stamp: string;
  /** `broker.id` of the dump, when it holds one (≥ 0). */
  brokerId: string | null;
  values: Map<string, { value: string; line: number }>;
}

const HEADER = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3})\] INFO KafkaConfig values:\s*$/;
const VALUE = /^\t([A-Za-z0-9_.-]+) = (.*)$/;

/**
 * Every start-up config dump of one log file, in file order, from its lines
 * as read (raw, before any per-line fix): fed by the one pass over the logs
 * (see ReadOptions.watchLines); keeps only the dumps.
 */
export class StartupConfigScan implements LineWatch {
  /** Lines without it that come outside a dump change nothing: the byte path hands over only the others. */
  readonly marker = 'KafkaConfig values:';
  private readonly fix: ((line: string) => string) | undefined;
  private readonly out: StartupConfig[] = [];
  private open: StartupConfig | undefined;
  private n = 0;

  constructor(private readonly file: Pick<PlannedFile, 'path' | 'prefix' | 'prefixSample'>) {
    this.fix = fileLineFix(file);
  }

  /** A dump is open: the lines after it are needed until it ends. */
  get wantsNext(): boolean {
    return this.open !== undefined;
  }

  /** The next line pushed is line `n` of the file (the lines before it were not needed). */
  skipTo(n: number): void {
    this.n = n - 1;
  }

  push(raw: string): void {
    const n = ++this.n;
    // Cheap test first: dump lines start with a tab, headers contain the marker.
    const line = this.fix ? this.fix(raw) : raw;
    const open = this.open;
    if (open && line.charCodeAt(0) === 9) {
      const m = VALUE.exec(line);
      if (m) {
        open.values.set(m[1]!, { value: m[2]!.trim(), line: n });
        return;
      }
    }
    if (open) {
      finish(open);
      this.open = undefined;
    }
    if (line.includes('KafkaConfig values:')) {
      const h = HEADER.exec(line);
      if (h) {
        this.open = { file: this.file.path, line: n, stamp: h[1]!, brokerId: null, values: new Map() };
        this.out.push(this.open);
      }
    }
  }

  finish(): StartupConfig[] {
    if (this.open) finish(this.open);
    this.open = undefined;
    return this.out.filter((c) => c.values.size > 0);
  }
}

function finish(c: StartupConfig): void {
  const id = c.values.get('broker.id')?.value;
  c.brokerId = id !== undefined && /^\d+$/.test(id) ? id : null;
}
