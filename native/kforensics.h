// Shared by the native scanners (see src/readers/native.ts for why they exist).
#ifndef KFORENSICS_H
#define KFORENSICS_H
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define NAPI_CALL(env, call)                                  \
  do {                                                        \
    if ((call) != napi_ok) {                                  \
      napi_throw_error((env), NULL, "native call failed: " #call); \
      return NULL;                                            \
    }                                                         \
  } while (0)

// Fields per line in scanKafka's output (after the one header slot).
#define KAFKA_STRIDE 6
// The same in scanZooKeeper's (a record's class end and `[myid:N]` too).
#define ZOOKEEPER_STRIDE 9

// The day of the last timestamp read, so a day's number is computed once;
// and its minute (its first 16 bytes, `yyyy-MM-dd HH:mm`, checked when it was
// read), so the next timestamps of that minute read only their seconds.
typedef struct {
  int32_t key;
  double ms;
  bool has_minute;
  uint64_t minute[2];
  double minute_ms;
} DayCache;

// The data of a typed array of the given type (NULL when it is another), and its length.
void *typed_array_data(napi_env env, napi_value value, napi_typedarray_type want, size_t *length);

// naiveFromFields over `yyyy-MM-dd HH:mm:ss,SSS` at p (23 bytes the caller has): NaN when invalid.
double naive_timestamp(DayCache *days, const uint8_t *p);

// A scanner's range function: whole lines of b[from, to) (the last one
// without its newline only when final) into out (info[0] = where it
// stopped, then `stride` ints per line) and nums (`nums_per_line` doubles
// per line), at most `capacity` lines; returns the number of lines.
typedef size_t (*ScanFn)(void *scanner, const uint8_t *b, size_t from, size_t to, bool final, int32_t *out,
                         double *nums, size_t capacity);

typedef struct {
  const char *name;
  size_t stride;
  size_t nums_per_line;
  ScanFn scan;
  // Whether argument 0 is a scanner made by the module (an external); else it is ignored.
  bool stateful;
} ScanKind;

// The line starting at b[s] of a range ending at `to`: its newline's offset
// in *nl (`to` for the last line of a final range) and its end without a CR
// in *e. False when what is left is an incomplete line (the range not final).
static inline bool next_line(const uint8_t *b, size_t s, size_t to, bool final, size_t *nl, size_t *e) {
  const uint8_t *p = memchr(b + s, '\n', to - s);
  if (p == NULL) {
    if (!final) return false;
    *nl = to;
  } else {
    *nl = (size_t)(p - b);
  }
  size_t end = *nl;
  if (end > s && b[end - 1] == '\r') end--;
  *e = end;
  return true;
}

// Settles a scan's or count's promise: the number, or an Error with the message.
void settle(napi_env env, napi_deferred deferred, bool ok, double value, const char *message);

// Queues a job's `execute` on a thread of libuv's pool, then its `complete` (which settles the promise and frees the
// job), named `name` for async hooks: returns the promise, or NULL with an exception pending when N-API failed.
napi_value queue_on_pool(napi_env env, const char *name, napi_async_execute_callback execute, napi_async_complete_callback complete,
                         void *job, napi_deferred *deferred, napi_async_work *work);

// fn(scanner, buf, from, to, final, info: Int32Array, nums: Float64Array) -> lines, here and now.
napi_value scan_now(napi_env env, napi_callback_info info, const ScanKind *kind);
// The same on a thread of libuv's pool -> Promise<lines>. The caller leaves
// the buffer, the arrays and the scanner alone until it settles.
napi_value scan_later(napi_env env, napi_callback_info info, const ScanKind *kind);

void kafka_scan_register(napi_env env, napi_value exports);
void dump_scan_register(napi_env env, napi_value exports);

#endif
