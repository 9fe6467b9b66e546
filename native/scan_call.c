// Calling a scanner from JavaScript, here or on libuv's pool (see kforensics.h).
#include "kforensics.h"

typedef struct {
  void *scanner;
  uint8_t *b;
  size_t from, to;
  bool final;
  int32_t *out;
  double *nums;
  size_t capacity;
  // A line watcher's marker (optional arguments 7 and 8): the lines of
  // b[from, to) holding it are found in the same call (on libuv's pool for
  // scan_later), so the main thread does not search every range for it.
  const uint8_t *marker;
  size_t marker_len;
  int32_t *marks;
  size_t marks_len;
} ScanArgs;

static bool scan_args(napi_env env, napi_value *argv, const ScanKind *kind, ScanArgs *a) {
  size_t blen, out_len, nums_len;
  int64_t from64, to64;
  a->scanner = NULL;
  if (kind->stateful && napi_get_value_external(env, argv[0], &a->scanner) != napi_ok) return false;
  if (napi_get_buffer_info(env, argv[1], (void **)&a->b, &blen) != napi_ok ||
      napi_get_value_int64(env, argv[2], &from64) != napi_ok || napi_get_value_int64(env, argv[3], &to64) != napi_ok ||
      napi_get_value_bool(env, argv[4], &a->final) != napi_ok) return false;
  a->out = typed_array_data(env, argv[5], napi_int32_array, &out_len);
  a->nums = typed_array_data(env, argv[6], napi_float64_array, &nums_len);
  if (a->out == NULL || a->nums == NULL || out_len < 1 + kind->stride || from64 < 0 || from64 > to64 ||
      to64 > (int64_t)blen || to64 > INT32_MAX) return false;
  a->from = (size_t)from64;
  a->to = (size_t)to64;
  a->capacity = (out_len - 1) / kind->stride;
  if (nums_len / kind->nums_per_line < a->capacity) a->capacity = nums_len / kind->nums_per_line;
  return a->capacity > 0;
}

// The marker and the array its lines go to (argv[7], argv[8]), when argv[7] is given (not undefined).
static bool marker_args(napi_env env, size_t argc, napi_value *argv, ScanArgs *a) {
  a->marker = NULL;
  a->marks = NULL;
  if (argc < 8) return true;
  napi_valuetype type;
  if (napi_typeof(env, argv[7], &type) != napi_ok) return false;
  if (type == napi_undefined) return true;
  size_t length;
  if (argc < 9 || napi_get_buffer_info(env, argv[7], (void **)&a->marker, &a->marker_len) != napi_ok || a->marker_len == 0) return false;
  a->marks = typed_array_data(env, argv[8], napi_int32_array, &length);
  a->marks_len = length;
  return a->marks != NULL && length >= 2;
}

// The start of each line of b[from, to) holding the marker into marks[1...],
// in order; marks[0] their number, negated when more lines hold it after the
// last one the array holds (the caller searches the rest). A marker holds
// no newline, so it lies inside one line: the search goes on at the next.
static void find_marked_lines(const ScanArgs *a) {
  const uint8_t *b = a->b;
  size_t room = a->marks_len - 1, n = 0;
  for (size_t s = a->from; s < a->to;) {
    const uint8_t *hit = memmem(b + s, a->to - s, a->marker, a->marker_len);
    if (hit == NULL) break;
    if (n == room) {
      a->marks[0] = -(int32_t)n;
      return;
    }
    size_t at = (size_t)(hit - b), start = at;
    while (start > s && b[start - 1] != '\n') start--;
    a->marks[1 + n++] = (int32_t)start;
    const uint8_t *nl = memchr(hit, '\n', a->to - at);
    if (nl == NULL) break;
    s = (size_t)(nl - b) + 1;
  }
  a->marks[0] = (int32_t)n;
}

static size_t run(const ScanKind *kind, const ScanArgs *a) {
  size_t lines = kind->scan(a->scanner, a->b, a->from, a->to, a->final, a->out, a->nums, a->capacity);
  // After the scan, outside its scanner's lock: the next range's scan need not wait for this search.
  if (a->marker != NULL) find_marked_lines(a);
  return lines;
}

static napi_value bad_arguments(napi_env env, const ScanKind *kind) {
  char message[80];
  snprintf(message, sizeof message, "%s: bad arguments", kind->name);
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

napi_value scan_now(napi_env env, napi_callback_info info, const ScanKind *kind) {
  napi_value argv[9];
  size_t argc = 9;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ScanArgs a;
  if (argc < 7 || !scan_args(env, argv, kind, &a) || !marker_args(env, argc, argv, &a)) return bad_arguments(env, kind);
  napi_value result;
  NAPI_CALL(env, napi_create_uint32(env, (uint32_t)run(kind, &a), &result));
  return result;
}

typedef struct {
  const ScanKind *kind;
  ScanArgs args;
  size_t lines;
  // The scanner, the buffer, the two arrays, the marker and its array stay alive until the scan is done.
  napi_ref refs[6];
  napi_deferred deferred;
  napi_async_work work;
} Job;

static void execute(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  job->lines = run(job->kind, &job->args);
}

void settle(napi_env env, napi_deferred deferred, bool ok, double value, const char *message) {
  napi_value result;
  if (ok && napi_create_double(env, value, &result) == napi_ok) {
    napi_resolve_deferred(env, deferred, result);
    return;
  }
  napi_value text, error;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, NULL, text, &error);
  napi_reject_deferred(env, deferred, error);
}

napi_value queue_on_pool(napi_env env, const char *name, napi_async_execute_callback execute, napi_async_complete_callback complete,
                         void *job, napi_deferred *deferred, napi_async_work *work) {
  napi_value promise, resource;
  NAPI_CALL(env, napi_create_promise(env, deferred, &promise));
  NAPI_CALL(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource));
  NAPI_CALL(env, napi_create_async_work(env, NULL, resource, execute, complete, job, work));
  NAPI_CALL(env, napi_queue_async_work(env, *work));
  return promise;
}

static void complete(napi_env env, napi_status status, void *data) {
  Job *job = data;
  settle(env, job->deferred, status == napi_ok, (double)job->lines, job->kind->name);
  for (int i = 0; i < 6; i++) {
    if (job->refs[i] != NULL) napi_delete_reference(env, job->refs[i]);
  }
  napi_delete_async_work(env, job->work);
  free(job);
}

napi_value scan_later(napi_env env, napi_callback_info info, const ScanKind *kind) {
  napi_value argv[9];
  size_t argc = 9;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Job *job = calloc(1, sizeof(Job));
  if (job == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  job->kind = kind;
  if (argc < 7 || !scan_args(env, argv, kind, &job->args) || !marker_args(env, argc, argv, &job->args)) {
    free(job);
    return bad_arguments(env, kind);
  }
  const int kept[6] = {0, 1, 5, 6, 7, 8};
  for (int i = 0; i < 6; i++) {
    if ((i == 0 && !kind->stateful) || (i >= 4 && job->args.marker == NULL)) continue;
    NAPI_CALL(env, napi_create_reference(env, argv[kept[i]], 1, &job->refs[i]));
  }
  return queue_on_pool(env, kind->name, execute, complete, job, &job->deferred, &job->work);
}
