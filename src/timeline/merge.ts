/**
 * An item standing for several consecutive items of its stream, none
 * earlier than the one before (read/light.ts's LightRun): the merge takes
 * it whole when no other stream's item falls among its own, else the part
 * before that item (`takeBefore`, which leaves the rest in the stream).
 * The merged order is then the order of the items it stands for.
 */
export interface Divisible {
  time: number;
  readonly lastTime: number;
  /** Its items before `time` (and at `time` when `ties`) as an item of their own, taken off its front; undefined when that is all of it. */
  takeBefore(time: number, ties: boolean): Divisible | undefined;
}

const isDivisible = (item: object): item is Divisible => typeof (item as Partial<Divisible>).takeBefore === 'function';

interface Cursor<T> {
  iterator: AsyncIterator<T[]>;
  batch: T[];
  pos: number;
  index: number;
}

async function fill<T>(c: Cursor<T>): Promise<boolean> {
  for (;;) {
    const next = await c.iterator.next();
    if (next.done) return false;
    if (next.value.length > 0) {
      c.batch = next.value;
      c.pos = 0;
      return true;
    }
  }
}

/**
 * k-way merge of time-ordered streams of batches. Holds one batch per stream,
 * never the whole input; ties keep stream order, so output is deterministic.
 * A stream that is itself slightly out of order (threads writing one file)
 * passes its inversions through unchanged rather than being re-sorted.
 */
export async function* mergeByTime<T extends { time: number }>(
  streams: readonly AsyncIterable<T[]>[],
): AsyncGenerator<T> {
  for await (const batch of mergeBatchesByTime(streams)) yield* batch;
}

/**
 * The part of the top stream's divisible item that comes before every other
 * stream's next item (ties: the earlier stream first) and before the next
 * stream to start (`waitingStart`: its items may be as early as that);
 * undefined when that is the whole item.
 */
function partBefore<T extends { time: number }>(item: Divisible, top: Cursor<T>, heap: readonly Cursor<T>[], waitingStart: number): Divisible | undefined {
  let bound = waitingStart;
  let ties = false;
  // The next item of another stream is at the head of one of the top's children.
  for (let c = 1; c <= 2 && c < heap.length; c++) {
    const other = heap[c]!;
    const t = other.batch[other.pos]!.time;
    if (t < bound) {
      bound = t;
      ties = top.index < other.index;
    } else if (t === bound) {
      ties &&= top.index < other.index;
    }
  }
  if (item.lastTime < bound || (ties && item.lastTime === bound)) return undefined;
  return item.takeBefore(bound, ties);
}

/**
 * The same merge, in batches: the events of one batch are in merged order,
 * and a batch ends where a stream must be awaited for its next batch, so
 * there is one await per batch read rather than one per event.
 *
 * `starts[i]`, when given, is a time no item of stream i is earlier than:
 * the stream is started (its first batch asked for) only once the merge
 * reaches that time, so streams whose times do not overlap are not open
 * at once (thousands of small files hold a reader each only while read).
 * Items earlier than it (a stream further out of order than its bound
 * said) still come out, as soon as the stream is started.
 */
export async function* mergeBatchesByTime<T extends { time: number }>(
  streams: readonly AsyncIterable<T[]>[], starts?: readonly number[],
): AsyncGenerator<T[]> {
  if (streams.length === 1) {
    // One stream is its own order (inversions included).
    for await (const batch of streams[0]!) if (batch.length > 0) yield batch;
    return;
  }
  const heap: Cursor<T>[] = [];
  const before = (a: Cursor<T>, b: Cursor<T>): boolean => {
    const ta = a.batch[a.pos]!.time;
    const tb = b.batch[b.pos]!.time;
    return ta < tb || (ta === tb && a.index < b.index);
  };
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };

  // Streams not started yet, latest start first (taken from the end).
  const waiting = streams.map((_, index) => index);
  const startOf = (i: number): number => starts?.[i] ?? Number.NEGATIVE_INFINITY;
  waiting.sort((a, b) => startOf(b) - startOf(a) || b - a);
  const start = async (index: number): Promise<void> => {
    const cursor: Cursor<T> = { iterator: streams[index]![Symbol.asyncIterator](), batch: [], pos: 0, index };
    if (await fill(cursor)) {
      heap.push(cursor);
      up(heap.length - 1);
    }
  };
  let out: T[] = [];
  for (;;) {
    // Every stream that may hold an item as early as the merge's next one is started first.
    if (waiting.length > 0 && (heap.length === 0 || startOf(waiting[waiting.length - 1]!) <= heap[0]!.batch[heap[0]!.pos]!.time)) {
      if (out.length > 0) {
        yield out;
        out = [];
      }
      await start(waiting.pop()!);
      continue;
    }
    if (heap.length === 0) break;
    const top = heap[0]!;
    const item = top.batch[top.pos]!;
    if (isDivisible(item)) {
      const head = partBefore(item, top, heap, waiting.length > 0 ? startOf(waiting[waiting.length - 1]!) : Number.POSITIVE_INFINITY);
      if (head !== undefined) {
        out.push(head as unknown as T);
        down(0);
        continue;
      }
    }
    out.push(item);
    top.pos++;
    if (top.pos < top.batch.length) {
      down(0);
      continue;
    }
    // The top stream's batch is used up: hand out what is merged before waiting for its next one.
    if (out.length > 0) {
      yield out;
      out = [];
    }
    if (await fill(top)) {
      down(0);
    } else {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    }
  }
  if (out.length > 0) yield out;
}
