#!/usr/bin/env node
// Writes a deterministic, realistic Kafka server.log of about --size bytes
// (routine traffic, incident bursts, ~2 % stack-trace lines) and prints what
// it wrote. Used to measure memory and speed on large inputs.
//   node scripts/gen-server-log.mjs --size 1G --out /tmp/big/server.log
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseSize } from './bench/random.mjs';
import { writeServerLog } from './bench/server-log.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out', '/tmp/kforensics-server.log');
mkdirSync(dirname(out), { recursive: true });
const truth = await writeServerLog(out, parseSize(arg('size', '100M')));
process.stderr.write(`${JSON.stringify(truth)}\n`);
