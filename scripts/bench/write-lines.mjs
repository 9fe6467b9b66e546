import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes chunks from `next()` (a string, or null when done) until `bytes` are
 * written, respecting back-pressure. Returns the bytes written.
 */
export async function writeUntil(path, bytes, next) {
  const out = createWriteStream(path);
  let written = 0;
  while (written < bytes) {
    const chunk = next();
    if (chunk === null) break;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}
