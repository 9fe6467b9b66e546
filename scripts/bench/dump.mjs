// DumpLogSegments --deep-iteration output (2.2–2.7 family: a batch line and a
// `| offset:` record line per record) with CreateTime gaps of two hours.
import { seeded } from './random.mjs';
import { writeUntil } from './write-lines.mjs';

export async function writeDump(path, bytes, seed = 3) {
  const rand = seeded(seed);
  const pick = (n) => Math.floor(rand() * n);
  let t = 1_700_000_000_000;
  let offset = 0;
  let position = 0;
  const truth = { records: 0, gaps: 0 };
  let header = 'Dumping /data/kafka-logs/bench-0/00000000000000000000.log\nStarting offset: 0\n';
  const written = await writeUntil(path, bytes, () => {
    let chunk = header;
    header = '';
    for (let i = 0; i < 2000; i++) {
      // A two-hour hole every ~500,000 records: the gaps gap analysis must find.
      if (offset > 0 && offset % 500_000 === 0) {
        t += 7_200_000;
        truth.gaps++;
      } else {
        t += pick(40);
      }
      const v = 100 + pick(60);
      const size = v + 70;
      chunk += `baseOffset: ${offset} lastOffset: ${offset} count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 7 isTransactional: false isControl: false position: ${position} CreateTime: ${t} size: ${size} magic: 2 compresscodec: NONE crc: ${pick(4294967295)} isvalid: true\n`
        + `| offset: ${offset} CreateTime: ${t} keysize: -1 valuesize: ${v} sequence: -1 headerKeys: []\n`;
      position += size;
      offset++;
      truth.records++;
    }
    return chunk;
  });
  return { bytes: written, ...truth };
}
