/**
 * A deterministic plain Kafka server.log of about `bytes` bytes, for the
 * tests of seeking: routine records of loggers no rule
 * names, events (fetcher removals, ISR shrinks, fetch errors with a stack
 * trace), and records up to 5 s out of order. Times start at 2024-02-23 00:00:00 and move ~0.4 s per record.
 */
export function kafkaLogSample(bytes: number, seed = 7): { text: string; lines: number } {
  let x = seed;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  const start = Date.UTC(2024, 1, 23);
  const stamp = (ms: number): string => {
    const d = new Date(ms);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `[${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())},${p(d.getUTCMilliseconds(), 3)}]`;
  };
  const out: string[] = [];
  let size = 0;
  let t = start;
  const push = (line: string): void => {
    out.push(line);
    size += Buffer.byteLength(line) + 1;
  };
  for (let i = 0; size < bytes; i++) {
    t += Math.floor(rand() * 800);
    const r = rand();
    const late = r < 0.01 ? -Math.floor(rand() * 5000) : 0;
    const at = stamp(t + late);
    if (r < 0.02) {
      push(`${at} INFO [ReplicaFetcherManager on broker 2] Removed fetcher for partitions Set(orders-${i % 7}) (kafka.server.ReplicaFetcherManager)`);
    } else if (r < 0.03) {
      push(`${at} INFO [Partition orders-${i % 5} broker=2] Shrinking ISR from 1,2,3 to 2,3. Leader: (highWatermark: ${i}). Out of sync replicas: (brokerId: 1). (kafka.cluster.Partition)`);
    } else if (r < 0.04) {
      push(`${at} WARN [ReplicaFetcher replicaId=2, leaderId=1, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=2) (kafka.server.ReplicaFetcherThread)`);
      push('java.io.IOException: Connection to 1 was disconnected before the response was read');
      push('\tat org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:100)');
    } else if (r < 0.06) {
      push(`${at} ERROR [Log partition=orders-${i % 3}, dir=/data] Something failed (kafka.log.Log)`);
      push(`\tat kafka.log.Log.append(Log.scala:${i % 900})`);
    } else {
      push(`${at} INFO [Log partition=orders-${i % 9}, dir=/data] Rolled new log segment at offset ${i} in ${i % 13} ms. (kafka.log.Log)`);
    }
  }
  return { text: `${out.join('\n')}\n`, lines: out.length };
}
