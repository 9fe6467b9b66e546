import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { TimelineEvent } from '../timeline/event.js';
import { writeText } from './stream-json.js';

/**
 * `timeline --format parquet`: the events as one Parquet file for Spark,
 * Trino or DuckDB, written as it streams (a row group per ROW_GROUP events,
 * flushed to the output as it fills), with the columns of `kforensics sql`'s
 * events table; `time` is a UTC instant (TIMESTAMP, milliseconds).
 */
const ROW_GROUP = 50_000;
const FLUSH_BYTES = 1 << 20;

function columns(events: readonly TimelineEvent[]) {
  return [
    { name: 'time', data: events.map((e) => new Date(e.time)), type: 'TIMESTAMP' as const, nullable: false },
    { name: 'node', data: events.map((e) => e.node), type: 'STRING' as const },
    { name: 'node_kind', data: events.map((e) => e.nodeKind), type: 'STRING' as const },
    { name: 'file', data: events.map((e) => e.file), type: 'STRING' as const },
    { name: 'line', data: events.map((e) => BigInt(e.line)), type: 'INT64' as const },
    { name: 'rule', data: events.map((e) => e.rule?.id ?? null), type: 'STRING' as const },
    { name: 'category', data: events.map((e) => e.category), type: 'STRING' as const },
    { name: 'severity', data: events.map((e) => e.severity), type: 'STRING' as const },
    { name: 'level', data: events.map((e) => e.level ?? null), type: 'STRING' as const },
    { name: 'logger', data: events.map((e) => e.logger ?? null), type: 'STRING' as const },
    { name: 'message', data: events.map((e) => e.message), type: 'STRING' as const },
    { name: 'fields', data: events.map((e) => e.fields), type: 'JSON' as const },
  ];
}

/**
 * A ByteWriter that moves its bytes out every MiB instead of growing: into
 * a queue that `flush` (called by the Parquet writer after each row group)
 * and `finish` write to the stream, waiting for it to drain.
 */
function streamWriter(out: NodeJS.WritableStream): ByteWriter & { flush?: () => Promise<void> } {
  const writer: ByteWriter & { flush?: () => Promise<void> } = new ByteWriter();
  const queue: Uint8Array[] = [];
  const take = (): void => {
    if (writer.index > 0) queue.push(new Uint8Array(writer.buffer, 0, writer.index).slice());
    writer.index = 0;
  };
  const drain = async (): Promise<void> => {
    for (const chunk of queue.splice(0)) {
      await writeText(out, chunk);
    }
  };
  const grow = writer.ensure.bind(writer);
  writer.ensure = (size: number): void => {
    if (writer.index > FLUSH_BYTES) take();
    grow(size);
  };
  writer.flush = async (): Promise<void> => {
    take();
    await drain();
  };
  writer.finish = async (): Promise<void> => {
    take();
    await drain();
  };
  return writer;
}

/** Writes the events to `out` as Parquet; returns how many were written. */
export async function writeParquet(batches: AsyncIterable<TimelineEvent[]>, out: NodeJS.WritableStream): Promise<number> {
  const writer = streamWriter(out);
  const parquet = new ParquetWriter({ writer, schema: schemaFromColumnData({ columnData: columns([]) }), createdBy: 'kforensics' });
  let pending: TimelineEvent[] = [];
  let written = 0;
  for await (const batch of batches) {
    for (const e of batch) pending.push(e);
    if (pending.length >= ROW_GROUP) {
      await parquet.write({ columnData: columns(pending), rowGroupSize: ROW_GROUP });
      written += pending.length;
      pending = [];
    }
  }
  if (pending.length > 0) await parquet.write({ columnData: columns(pending), rowGroupSize: ROW_GROUP });
  written += pending.length;
  await parquet.finish();
  return written;
}
