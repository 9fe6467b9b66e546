// Preloaded into the CLI (node --import) by read-once tests: counts the bytes
// read from each file under KF_COUNT_READS_ROOT, by every read of the fs
// module (sync, callback and promise file handles), and writes them as JSON
// to KF_COUNT_READS_OUT when the process exits. A file read twice in full
// shows twice its size.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(process.env.KF_COUNT_READS_ROOT ?? '/nonexistent');
const out = process.env.KF_COUNT_READS_OUT;
const bytes = new Map();
const paths = new Map();
const watched = (p) => typeof p === 'string' && resolve(p).startsWith(`${root}/`);
const add = (fd, n) => {
  const p = paths.get(fd);
  if (p !== undefined && n > 0) bytes.set(p, (bytes.get(p) ?? 0) + n);
};

const openSync = fs.openSync;
fs.openSync = function (p, ...rest) {
  const fd = openSync.call(this, p, ...rest);
  if (watched(p)) paths.set(fd, resolve(p));
  return fd;
};
const open = fs.open;
fs.open = function (p, ...rest) {
  const cb = rest.pop();
  return open.call(this, p, ...rest, (err, fd) => {
    if (!err && watched(p)) paths.set(fd, resolve(p));
    cb(err, fd);
  });
};
const readSync = fs.readSync;
fs.readSync = function (fd, ...rest) {
  const n = readSync.call(this, fd, ...rest);
  add(fd, n);
  return n;
};
const read = fs.read;
fs.read = function (fd, ...rest) {
  const cb = rest.pop();
  return read.call(this, fd, ...rest, (err, n, buf) => {
    if (!err) add(fd, n);
    cb(err, n, buf);
  });
};
const pOpen = fs.promises.open;
fs.promises.open = async function (p, ...rest) {
  const handle = await pOpen.call(this, p, ...rest);
  if (watched(p)) {
    const file = resolve(p);
    const hRead = handle.read;
    handle.read = async function (...args) {
      const r = await hRead.apply(this, args);
      if (r.bytesRead > 0) bytes.set(file, (bytes.get(file) ?? 0) + r.bytesRead);
      return r;
    };
  }
  return handle;
};
// Named imports of node:fs (import { readSync } from 'node:fs') see the patched functions too.
syncBuiltinESMExports();
process.on('exit', () => {
  if (out) fs.writeFileSync(out, JSON.stringify(Object.fromEntries(bytes)));
});
