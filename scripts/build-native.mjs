#!/usr/bin/env node
// `npm ci` / `npm install` step: builds the native scanners (native/*.c,
// binding.gyp) with node-gyp against the running Node's headers. Without a
// compiler the build is skipped with a note: kforensics then reads with its
// JavaScript byte path (same results, slower). KF_REQUIRE_NATIVE=1 (CI)
// makes a failed build fail the install instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = dirname(dirname(process.execPath));
const gyp = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].find((p) => p && existsSync(p));
// Node's own headers, where the installed Node has them (no download needed).
const headers = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];

let failure;
if (process.env.KF_NATIVE === '0') failure = 'KF_NATIVE=0';
else if (!gyp) failure = 'node-gyp not found';
else {
  const r = spawnSync(process.execPath, [gyp, 'rebuild', ...headers], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failure = `node-gyp exited with ${r.status ?? r.signal}`;
}
if (failure) {
  console.warn(`kforensics: native scanners not built (${failure}); the JavaScript readers are used instead (slower).`);
  if (process.env.KF_REQUIRE_NATIVE === '1') process.exit(1);
}
