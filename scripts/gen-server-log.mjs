#!/usr/bin/env node
// Writes a deterministic, realistic Kafka server.log of about --size bytes
// (routine traffic, incident bursts, ~2 % stack-trace lines) and prints what
// it wrote. Used to measure memory and speed on large inputs.
//   node scripts/gen-server-log.mjs --size 1G --out /tmp/big/server.log
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { scriptArgs } from './args.mjs';
import { parseSize } from './bench/random.mjs';
import { writeServerLog } from './bench/server-log.mjs';
import { writeDenseLog } from './bench/dense-log.mjs';

const { values } = scriptArgs(`Usage: node scripts/gen-server-log.mjs [--size SIZE] [--out FILE]

Writes a deterministic, realistic Kafka server.log of about SIZE bytes
(routine traffic, incident bursts, ~2 % stack-trace lines) and prints on
stderr, as JSON, the events it wrote.

  --size SIZE   about how much to write: 10M, 100M, 1G … (default 100M)
  --out FILE    where (default /tmp/kforensics-server.log)
  --dense       an event-dense log instead: a controller broker's lines of
                every logger in one file, 12.5 % of them classified events
                of many kinds (ISR, leadership, fetchers, brokers failing,
                ZooKeeper sessions, the controller moving)
  -h, --help    this text`, {
  dense: { type: 'boolean', default: false },
  size: { type: 'string', default: '100M' },
  out: { type: 'string', default: '/tmp/kforensics-server.log' },
});
const size = parseSize(values.size);
if (!(size > 0)) {
  process.stderr.write(`--size "${values.size}" is not a size: use 10M, 100M, 1G …\n`);
  process.exit(2);
}
const out = values.out;
mkdirSync(dirname(out), { recursive: true });
const truth = values.dense ? await writeDenseLog(out, size) : await writeServerLog(out, size);
process.stderr.write(`${JSON.stringify(truth)}\n`);
