import { TextDecoder } from 'node:util';
import { open } from 'node:fs/promises';
import { decodedStream, isStreamed } from './archive.js';

/** Text encodings recognised from a file's first bytes. */
export type Encoding = 'utf8' | 'utf16le' | 'utf16be';

// One buffer per open file; every family of the merge holds one open.
const CHUNK = 256 << 10;

/** Detects a BOM, or UTF-16 without one from the zero bytes of ASCII text. */
export function detectEncoding(head: Uint8Array): { encoding: Encoding; bomLength: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bomLength: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bomLength: 3 };
  const n = Math.min(head.length, 512) & ~1;
  if (n >= 16) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++;
      if (head[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return { encoding: 'utf16le', bomLength: 0 };
    if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return { encoding: 'utf16be', bomLength: 0 };
  }
  return { encoding: 'utf8', bomLength: 0 };
}

/**
 * Raw bytes of a file, decompressed when it is compressed (whatever its
 * name), or of an archive member or standard input (archive.ts). Plain files are read into
 * one reused buffer: each yielded chunk is valid only until the next one is
 * requested, so consumers must finish with it synchronously. Files are only
 * ever opened read-only.
 */
export async function* readRawChunks(path: string, limit = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
  if (isStreamed(path)) {
    const stream = decodedStream(path);
    let seen = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        yield chunk;
        seen += chunk.length;
        if (seen >= limit) break;
      }
    } finally {
      stream.destroy();
    }
    return;
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    // Read to the size seen at the start so a file that grows while it is read
    // still ends.
    const size = Math.min((await handle.stat()).size, limit);
    while (position < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, size - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * UTF-8 bytes of a file whatever its encoding: UTF-16 is transcoded, a BOM is
 * dropped. Same reuse contract as {@link readRawChunks}.
 */
export async function* readUtf8Chunks(path: string, limit?: number): AsyncGenerator<Uint8Array> {
  let decoder: import('node:util').TextDecoder | undefined;
  let first = true;
  for await (const raw of readRawChunks(path, limit)) {
    let chunk = raw;
    if (first) {
      first = false;
      const { encoding, bomLength } = detectEncoding(chunk);
      chunk = chunk.subarray(bomLength);
      // WHATWG labels: Node's TextDecoder rejects 'utf16le'.
      if (encoding !== 'utf8') decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
    }
    if (decoder) {
      yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
    } else {
      yield chunk;
    }
  }
  if (decoder) {
    const tail = decoder.decode();
    if (tail) yield Buffer.from(tail, 'utf8');
  }
}
