// The native module: scanners for the hot loops of the byte-level readers.
#include "kforensics.h"
#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void *typed_array_data(napi_env env, napi_value value, napi_typedarray_type want, size_t *length) {
  napi_typedarray_type type;
  size_t count;
  void *data;
  if (napi_get_typedarray_info(env, value, &type, &count, &data, NULL, NULL) != napi_ok || type != want) return NULL;
  if (length != NULL) *length = count;
  return data;
}

static const int DAYS_IN_MONTH[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// H. Hinnant's days_from_civil, as daysFromCivil in src/time/timestamp.ts.
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int digits(const uint8_t *p, int count) {
  int v = 0;
  for (int i = 0; i < count; i++) {
    unsigned d = (unsigned)p[i] - '0';
    if (d > 9) return -1;
    v = v * 10 + (int)d;
  }
  return v;
}

double naive_timestamp(DayCache *days, const uint8_t *p) {
  uint8_t sep = p[10], frac = p[19];
  uint64_t head[2];
  memcpy(head, p, 16);
  if (days->has_minute && ((head[0] ^ days->minute[0]) | (head[1] ^ days->minute[1])) == 0) {
    // The same minute as before: its separators, date, hour and minute were checked then.
    if (p[16] != ':' || (frac != ',' && frac != '.')) return NAN;
    int second = digits(p + 17, 2), milli = digits(p + 20, 3);
    if (second < 0 || second > 60 || milli < 0) return NAN;
    return days->minute_ms + (double)(second * 1000 + milli);
  }
  if (p[4] != '-' || p[7] != '-' || (sep != ' ' && sep != 'T') || p[13] != ':' || p[16] != ':' ||
      (frac != ',' && frac != '.')) return NAN;
  int year = digits(p, 4), month = digits(p + 5, 2), day = digits(p + 8, 2);
  int hour = digits(p + 11, 2), minute = digits(p + 14, 2), second = digits(p + 17, 2), milli = digits(p + 20, 3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return NAN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || milli < 0) return NAN;
  if (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) return NAN;
  int32_t key = year * 10000 + month * 100 + day;
  if (key != days->key) {
    days->key = key;
    days->ms = (double)days_from_civil(year, month, day) * 86400000.0;
  }
  days->has_minute = true;
  days->minute[0] = head[0];
  days->minute[1] = head[1];
  days->minute_ms = days->ms + (double)((hour * 60 + minute) * 60000);
  return days->ms + (double)(((hour * 60 + minute) * 60 + second) * 1000 + milli);
}

// countFileNewlinesAsync(fd, from, to[, stamp]) -> Promise<number>: the `\n`
// bytes of a file's bytes [from, to), read and counted on a thread of libuv's
// pool (several such counts of one skipped range run on both cores at once).
// With `stamp` (a Uint8Array of the 17 digits of `yyyy-MM-dd HH:mm:ss,SSS`),
// every line starting in the range with `[` and such a timestamp is compared
// with it too: -1 when one is at or after it (a --since seek would skip it).
typedef struct {
  int fd;
  int64_t from, to;
  uint64_t count;
  int error;
  int has_stamp;
  int newer;
  uint8_t stamp[17];
  napi_deferred deferred;
  napi_async_work work;
} CountJob;

// The 17 digits of `[yyyy-MM-dd HH:mm:ss,SSS` at p (24 bytes), or 0 when it is no timestamp.
static int stamp_digits(const uint8_t *p, uint8_t *out) {
  static const int at[17] = {1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 22, 23};
  if (p[0] != '[' || p[5] != '-' || p[8] != '-' || (p[11] != ' ' && p[11] != 'T') || p[14] != ':' || p[17] != ':' || (p[20] != ',' && p[20] != '.')) return 0;
  for (int i = 0; i < 17; i++) {
    uint8_t c = p[at[i]];
    if (c < '0' || c > '9') return 0;
    out[i] = c;
  }
  return 1;
}

static void check_stamp(CountJob *job, const uint8_t *p) {
  uint8_t d[17];
  if (stamp_digits(p, d) && memcmp(d, job->stamp, 17) >= 0) job->newer = 1;
}

/** Bytes of the block a walk on libuv's pool reads a file into (countFileNewlinesAsync, pickFileLinesAsync). */
enum { POOL_BLOCK = 1 << 20 };

// A block for a walk on a thread of libuv's pool, NULL when there is no memory. Mapped, not malloc'd: a 1 MiB malloc
// on a thread of the pool left ~6 MB more resident (the thread's arena).
static uint8_t *pool_block(void) {
  void *block = mmap(NULL, POOL_BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return block == MAP_FAILED ? NULL : block;
}

// The newlines in [p, p + n): with SSE2, 16 bytes compared at once (cmpeq gives -1 per newline: subtracting counts
// it, up to 255 per byte lane, so the lanes are summed every 255 rounds); the rest byte by byte.
static uint64_t count_newlines(const uint8_t *p, size_t n) {
  uint64_t count = 0;
  size_t i = 0;
#ifdef __SSE2__
  const __m128i nl = _mm_set1_epi8('\n');
  while (n - i >= 16) {
    size_t rounds = (n - i) / 16 < 255 ? (n - i) / 16 : 255;
    __m128i counts = _mm_setzero_si128();
    for (size_t r = 0; r < rounds; r++, i += 16) counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), nl));
    __m128i sum = _mm_sad_epu8(counts, _mm_setzero_si128());
    count += (uint64_t)_mm_cvtsi128_si64(sum) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
  }
#endif
  for (; i < n; i++) count += p[i] == '\n';
  return count;
}

static void count_execute(napi_env env, void *data) {
  (void)env;
  CountJob *job = data;
  enum { SIZE = POOL_BLOCK };
  uint8_t *buf = pool_block();
  if (buf == NULL) {
    job->error = ENOMEM;
    return;
  }
  enum { STAMP = 24 };
  // A line starting at `from`: the range's first byte follows a newline (or starts the file).
  if (job->has_stamp) {
    uint8_t before = '\n';
    if (job->from > 0 && pread(job->fd, &before, 1, (off_t)(job->from - 1)) != 1) before = 0;
    uint8_t head[STAMP];
    if (before == '\n' && job->to - job->from >= STAMP && pread(job->fd, head, STAMP, (off_t)job->from) == STAMP) check_stamp(job, head);
  }
  for (int64_t p = job->from; p < job->to && !job->newer;) {
    // A stamp is read past the range's end when needed: the line it starts is in the range.
    size_t want = (size_t)(job->to - p < SIZE - STAMP ? job->to - p : SIZE - STAMP);
    ssize_t n = pread(job->fd, buf, want + (job->has_stamp ? STAMP : 0), (off_t)p);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      job->error = n < 0 ? errno : 0;
      break;
    }
    ssize_t counted = n < (ssize_t)want ? n : (ssize_t)want;
    uint64_t count = 0;
    if (job->has_stamp) {
      // Newline to newline with memchr (a byte loop was most of a seek's time: ~7 M lines a GiB).
      const uint8_t *end = buf + counted;
      for (const uint8_t *q = memchr(buf, '\n', (size_t)counted); q != NULL; q = memchr(q, '\n', (size_t)(end - q))) {
        count++;
        ssize_t i = q - buf;
        // The line after this newline, when it starts inside the range and its stamp was read.
        if (p + i + 1 < job->to && i + 1 + STAMP <= n) check_stamp(job, buf + i + 1);
        if (++q == end) break;
      }
    } else {
      count = count_newlines(buf, (size_t)counted);
    }
    job->count += count;
    p += counted;
  }
  munmap(buf, POOL_BLOCK);
}

static void count_complete(napi_env env, napi_status status, void *data) {
  CountJob *job = data;
  settle(env, job->deferred, status == napi_ok && job->error == 0, job->newer ? -1.0 : (double)job->count,
         job->error ? strerror(job->error) : "countFileNewlinesAsync failed");
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value count_file_newlines_async(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  size_t argc = 4;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CountJob *job = calloc(1, sizeof(CountJob));
  if (job == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  int32_t fd;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &job->from) != napi_ok ||
      napi_get_value_int64(env, argv[2], &job->to) != napi_ok || fd < 0 || job->from < 0 || job->from > job->to) {
    free(job);
    napi_throw_range_error(env, NULL, "countFileNewlinesAsync: bad arguments");
    return NULL;
  }
  job->fd = fd;
  if (argc >= 4) {
    size_t length = 0;
    uint8_t *stamp = typed_array_data(env, argv[3], napi_uint8_array, &length);
    if (stamp == NULL || length != 17) {
      free(job);
      napi_throw_range_error(env, NULL, "countFileNewlinesAsync: the stamp must be 17 digits");
      return NULL;
    }
    memcpy(job->stamp, stamp, 17);
    job->has_stamp = 1;
  }
  return queue_on_pool(env, "kforensics.countLines", count_execute, count_complete, job, &job->deferred, &job->work);
}

// pickFileLinesAsync(fd, from, to, lineBefore, wanted, spans, out, copyLimit) -> Promise<number>: the lines numbered
// `wanted` (ascending integers) of a file's bytes [from, to), whose first line is numbered lineBefore + 1, found on a
// thread of libuv's pool: the file read in large blocks with pread, the lines before each wanted one passed with memchr
// (a report's quotes: reading 1 GiB again through 256 KiB reads and a JavaScript splitter took 0.5-1 s). For the k-th
// line found, spans[2k] and spans[2k + 1] are where it starts and where its newline is (`to` for a last line without
// one); its bytes, with its newline, are copied to `out` after the line before when it is at most copyLimit bytes
// long (a longer one is left to the caller). Resolves with the lines found; spans[2n], spans[2n + 1] and spans[2n + 2]
// (n: the lines wanted) are where the walk stopped (where reading ended, or the start of a line `out` had no room
// for), the number of the line starting there, and 1 when `out` was full (the caller goes on from there).
typedef struct {
  int fd;
  int64_t from, to, line_before;
  const double *wanted;
  size_t count;
  double *spans;
  uint8_t *out;
  size_t out_length;
  int64_t copy_limit;
  size_t found;
  int error;
  napi_ref refs[3];
  napi_deferred deferred;
  napi_async_work work;
} PickJob;

// Copies the line [start, end) (and its newline after it, when it has one) to out at *used, from the block when it is
// there, else read again; false when out has no room for it (or the read failed: job->error).
static bool pick_copy(PickJob *job, const uint8_t *block, int64_t block_at, int64_t block_end, int64_t start, int64_t end, bool newline,
                      size_t *used) {
  int64_t length = end - start + (newline ? 1 : 0);
  if (end - start > job->copy_limit) return true;
  if ((uint64_t)length > job->out_length - *used) return false;
  if (start >= block_at && start + length <= block_end) {
    memcpy(job->out + *used, block + (start - block_at), (size_t)length);
  } else {
    for (int64_t done = 0; done < length;) {
      ssize_t n = pread(job->fd, job->out + *used + done, (size_t)(length - done), (off_t)(start + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        job->error = n < 0 ? errno : EIO;
        return false;
      }
      done += n;
    }
  }
  *used += (size_t)length;
  return true;
}

// Passes at most *k newlines of [p, end): returns the byte after the last one passed (p when none), *k less those
// passed. Away from the one sought, 4 KiB at a time are only counted (count_newlines), which is about three times
// cheaper than a memchr call per line of a log (~140 bytes).
static const uint8_t *pass_newlines(const uint8_t *p, const uint8_t *end, int64_t *k) {
  enum { SPAN = 4096 };
  while (*k > 0 && end - p >= SPAN) {
    int64_t c = (int64_t)count_newlines(p, SPAN);
    if (c >= *k) break;
    *k -= c;
    p += SPAN;
  }
  while (*k > 0) {
    const uint8_t *q = memchr(p, '\n', (size_t)(end - p));
    if (q == NULL) {
      // The rest holds no newline: the line goes on in the next block (or is the last).
      return end;
    }
    p = q + 1;
    (*k)--;
  }
  return p;
}

static void pick_execute(napi_env env, void *data) {
  (void)env;
  PickJob *job = data;
  enum { SIZE = POOL_BLOCK };
  uint8_t *buf = pool_block();
  if (buf == NULL) {
    job->error = ENOMEM;
    return;
  }
  size_t next = 0, used = 0;
  // The line being read, and where it starts (known once its number is the next wanted: the newlines before are
  // only counted).
  int64_t line = job->line_before + 1, start = job->from;
  bool stopped = false;
  int64_t p = job->from, block_at = p;
  while (p < job->to && next < job->count && !stopped) {
    size_t want = (size_t)(job->to - p < SIZE ? job->to - p : SIZE);
    ssize_t n = pread(job->fd, buf, want, (off_t)p);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // A file shorter than when it was measured ends here, as a stream's read would.
      if (n < 0) job->error = errno;
      break;
    }
    block_at = p;
    const uint8_t *q = buf, *end = buf + n;
    while (next < job->count && q < end) {
      int64_t w = (int64_t)job->wanted[next];
      if (w < line) {
        next++;
        continue;
      }
      if (w > line) {
        int64_t k = w - line;
        const uint8_t *r = pass_newlines(q, end, &k);
        line = w - k;
        q = r;
        if (k > 0) break;
        start = p + (r - buf);
        continue;
      }
      const uint8_t *nl = memchr(q, '\n', (size_t)(end - q));
      if (nl == NULL) break;
      int64_t at = p + (nl - buf);
      if (!pick_copy(job, buf, p, p + n, start, at, true, &used)) {
        stopped = true;
        break;
      }
      job->spans[2 * job->found] = (double)start;
      job->spans[2 * job->found + 1] = (double)at;
      job->found++;
      next++;
      line++;
      start = at + 1;
      q = nl + 1;
    }
    p += n;
  }
  if (!stopped && job->error == 0 && next < job->count && (int64_t)job->wanted[next] == line && start < p) {
    // The last line, without a newline: up to where reading ended.
    if (pick_copy(job, buf, block_at, p, start, p, false, &used)) {
      job->spans[2 * job->found] = (double)start;
      job->spans[2 * job->found + 1] = (double)p;
      job->found++;
      next++;
      line++;
      start = p;
    } else {
      stopped = true;
    }
  }
  job->spans[2 * job->count] = stopped ? (double)start : (double)p;
  job->spans[2 * job->count + 1] = (double)line;
  job->spans[2 * job->count + 2] = stopped ? 1.0 : 0.0;
  munmap(buf, POOL_BLOCK);
}

static void pick_complete(napi_env env, napi_status status, void *data) {
  PickJob *job = data;
  settle(env, job->deferred, status == napi_ok && job->error == 0, (double)job->found,
         job->error ? strerror(job->error) : "pickFileLinesAsync failed");
  for (int i = 0; i < 3; i++) napi_delete_reference(env, job->refs[i]);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value pick_file_lines_async(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  size_t argc = 8;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  PickJob *job = calloc(1, sizeof(PickJob));
  if (job == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  int32_t fd = -1;
  size_t wanted_length = 0, spans_length = 0;
  void *out = NULL;
  bool ok = argc >= 8 && napi_get_value_int32(env, argv[0], &fd) == napi_ok && napi_get_value_int64(env, argv[1], &job->from) == napi_ok &&
            napi_get_value_int64(env, argv[2], &job->to) == napi_ok && napi_get_value_int64(env, argv[3], &job->line_before) == napi_ok &&
            napi_get_value_int64(env, argv[7], &job->copy_limit) == napi_ok && napi_get_buffer_info(env, argv[6], &out, &job->out_length) == napi_ok;
  job->wanted = ok ? typed_array_data(env, argv[4], napi_float64_array, &wanted_length) : NULL;
  job->spans = ok ? typed_array_data(env, argv[5], napi_float64_array, &spans_length) : NULL;
  if (!ok || job->wanted == NULL || job->spans == NULL || spans_length < 2 * wanted_length + 3 || fd < 0 || job->from < 0 ||
      job->from > job->to || job->line_before < 0 || job->copy_limit < 0) {
    free(job);
    napi_throw_range_error(env, NULL, "pickFileLinesAsync: bad arguments");
    return NULL;
  }
  job->fd = fd;
  job->count = wanted_length;
  job->out = out;
  // The three arrays stay alive until the walk is done.
  for (int i = 0; i < 3; i++) NAPI_CALL(env, napi_create_reference(env, argv[4 + i], 1, &job->refs[i]));
  return queue_on_pool(env, "kforensics.pickLines", pick_execute, pick_complete, job, &job->deferred, &job->work);
}

// skipNewlines(buf, from, to, count, out): passes at most `count` newlines of buf[from, to) with memchr; returns how many
// it passed, out[0] the offset after the last one passed (from when none). The lines before one wanted (pickLines) are
// only counted: one call a buffer, not one per line.
static napi_value skip_newlines(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  size_t argc = 5;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  size_t length = 0, out_length = 0;
  uint8_t *buf = argc >= 5 ? typed_array_data(env, argv[0], napi_uint8_array, &length) : NULL;
  int32_t *out = argc >= 5 ? typed_array_data(env, argv[4], napi_int32_array, &out_length) : NULL;
  int64_t from, to, count;
  if (buf == NULL || out == NULL || out_length < 1 || napi_get_value_int64(env, argv[1], &from) != napi_ok ||
      napi_get_value_int64(env, argv[2], &to) != napi_ok || napi_get_value_int64(env, argv[3], &count) != napi_ok ||
      from < 0 || from > to || (uint64_t)to > length || to > INT32_MAX || count < 0) {
    napi_throw_range_error(env, NULL, "skipNewlines: bad arguments");
    return NULL;
  }
  const uint8_t *p = buf + from, *end = buf + to;
  int64_t passed = 0;
  while (passed < count && p < end) {
    const uint8_t *q = memchr(p, '\n', (size_t)(end - p));
    if (q == NULL) break;
    passed++;
    p = q + 1;
  }
  out[0] = (int32_t)(passed > 0 ? p - buf : from);
  napi_value result;
  NAPI_CALL(env, napi_create_double(env, (double)passed, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor count[] = {
    {"countFileNewlinesAsync", NULL, count_file_newlines_async, NULL, NULL, NULL, napi_default, NULL},
    {"skipNewlines", NULL, skip_newlines, NULL, NULL, NULL, napi_default, NULL},
    {"pickFileLinesAsync", NULL, pick_file_lines_async, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, count);
  kafka_scan_register(env, exports);
  dump_scan_register(env, exports);
  return exports;
}
