import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { JsonPiece, jsonChunks, LazyArray, StreamedArray, streamedDocument, writeChunks, writeLines, type Piece } from '../../src/report/stream-json.js';

describe('jsonChunks', () => {
  it('joined, is JSON.stringify(value, null, 2), for any plain data', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect([...jsonChunks(v)].join('')).toBe(JSON.stringify(v, null, 2));
    }), { numRuns: 500 });
  });

  it('skips undefined members and writes undefined array items as null, as JSON.stringify does', () => {
    const v = { a: undefined, b: [undefined, 1, { c: undefined, d: 'x' }], e: {}, f: [] };
    expect([...jsonChunks(v)].join('')).toBe(JSON.stringify(v, null, 2));
  });

  it('one piece per member of the top two levels: a long array is never one string', () => {
    const v = { windows: Array.from({ length: 1000 }, (_, i) => ({ i, text: 'x'.repeat(50) })) };
    const pieces = [...jsonChunks(v)];
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
  });
});

describe('streamedDocument', () => {
  // A Buffer piece is valid until the next is asked for (the spool's block is read into again): each is copied as it comes.
  const joined = (pieces: Iterable<Piece>): string => {
    const parts: Buffer[] = [];
    for (const p of pieces) parts.push(Buffer.from(p instanceof JsonPiece ? p.text() : p));
    return Buffer.concat(parts).toString('utf8');
  };

  it('with a streamed array as a member, is JSON.stringify(doc, null, 2) and a newline of the document holding its elements', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), fc.array(fc.jsonValue(), { maxLength: 20 }), (head, items) => {
      const array = new StreamedArray();
      try {
        for (const item of items) array.add(item);
        expect(joined(streamedDocument({ ...head, events: array }))).toBe(`${JSON.stringify({ ...head, events: items }, null, 2)}\n`);
      } finally {
        array.close();
      }
    }), { numRuns: 200 });
  });

  it('with lazy arrays as members, made as they are written, is the same as with the arrays themselves', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue(), { maxLength: 10 }), fc.array(fc.jsonValue(), { maxLength: 10 }), (windows, items) => {
      const array = new StreamedArray();
      try {
        for (const item of items) array.add(item);
        let made = 0;
        const lazy = new LazyArray(function* () {
          for (const w of windows) {
            made++;
            yield w;
          }
        });
        const pieces = streamedDocument({ schema: 's', windows: lazy, events: array });
        expect(made).toBe(0);
        expect(joined(pieces)).toBe(`${JSON.stringify({ schema: 's', windows, events: items }, null, 2)}\n`);
      } finally {
        array.close();
      }
    }), { numRuns: 200 });
  });

  it('reads a spool of many blocks back whole, multi-byte characters across the blocks included', () => {
    const array = new StreamedArray();
    const items = Array.from({ length: 30_000 }, (_, i) => ({ i, text: `브로커 ${i} — ${'x'.repeat(i % 50)}` }));
    try {
      for (const item of items) array.add(item);
      expect(joined(streamedDocument({ schema: 's', events: array }))).toBe(`${JSON.stringify({ schema: 's', events: items }, null, 2)}\n`);
    } finally {
      array.close();
    }
  });

  it('elements that are not plain data or longer than a block come as JSON.stringify writes them, in their place', () => {
    const array = new StreamedArray();
    const items = [{ a: 1 }, new Date(0), undefined, { long: 'y'.repeat(3 << 20) }, { b: [2, 'é'] }, { toJSON: () => 'x' }, 3];
    try {
      for (const item of items) array.add(item);
      expect(joined(streamedDocument({ schema: 's', events: array }))).toBe(`${JSON.stringify({ schema: 's', events: items }, null, 2)}\n`);
    } finally {
      array.close();
    }
  });

  it('a streamed array is refused in a document of plain data', () => {
    const array = new StreamedArray();
    try {
      expect(() => [...jsonChunks({ events: array })]).toThrow(/streamed array/);
    } finally {
      array.close();
    }
  });
});

describe('writeChunks', () => {
  it('writes a document whole (a lazy array and a spool of many blocks) to a stream that takes its time with each write', async () => {
    const array = new StreamedArray();
    const items = Array.from({ length: 30_000 }, (_, i) => ({ i, text: `브로커 ${i} — ${'x'.repeat(i % 50)}` }));
    // Elements encoded straight into the buffer, and those that go as text: not plain data, longer than the buffer.
    const windows = [...items.slice(0, 3000), new Date(0), { long: 'z'.repeat(3 << 20) }, null, { toJSON: () => [1, 2] }, ...items.slice(0, 3000)];
    const parts: Buffer[] = [];
    // Copies what it is given only a moment after the write: a buffer written over before then would show.
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          parts.push(Buffer.from(chunk));
          done();
        }, 1);
      },
    });
    try {
      for (const item of items) array.add(item);
      await writeChunks(slow, streamedDocument({ schema: 's', windows: new LazyArray(() => windows), events: array }));
      expect(Buffer.concat(parts).toString('utf8')).toBe(`${JSON.stringify({ schema: 's', windows, events: items }, null, 2)}\n`);
    } finally {
      array.close();
    }
  });
});

describe('writeLines', () => {
  it('writes each text and a line feed, as they come, in a few writes however many texts', async () => {
    // A slow reader (it takes each write a tick later, a few bytes at most held): each write is waited for.
    const got: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, done) {
        got.push(Buffer.from(chunk));
        setImmediate(done);
      },
    });
    const texts = Array.from({ length: 5000 }, (_, i) => `┌─ row ${i} ─┐ ${'…é'.repeat(i % 7)}`);
    // Longer than the buffer: written on its own, after what came before it.
    texts.splice(2500, 0, `│${'x─'.repeat(400_000)}│`);
    texts.push('');
    await writeLines(out, texts);
    expect(Buffer.concat(got).toString('utf8')).toBe(texts.map((t) => `${t}\n`).join(''));
    expect(got.length).toBeLessThan(20);
  });

  it('writes nothing for no texts', async () => {
    const got: Buffer[] = [];
    const out = new Writable({ write(chunk: Buffer, _enc, done) { got.push(chunk); done(); } });
    await writeLines(out, []);
    expect(got).toEqual([]);
  });
});
