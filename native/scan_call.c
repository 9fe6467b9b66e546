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

static size_t run(const ScanKind *kind, const ScanArgs *a) {
  return kind->scan(a->scanner, a->b, a->from, a->to, a->final, a->out, a->nums, a->capacity);
}

static napi_value bad_arguments(napi_env env, const ScanKind *kind) {
  char message[80];
  snprintf(message, sizeof message, "%s: bad arguments", kind->name);
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

napi_value scan_now(napi_env env, napi_callback_info info, const ScanKind *kind) {
  napi_value argv[7];
  size_t argc = 7;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  ScanArgs a;
  if (argc < 7 || !scan_args(env, argv, kind, &a)) return bad_arguments(env, kind);
  napi_value result;
  NAPI_CALL(env, napi_create_uint32(env, (uint32_t)run(kind, &a), &result));
  return result;
}

typedef struct {
  const ScanKind *kind;
  ScanArgs args;
  size_t lines;
  // The scanner, the buffer and the two arrays stay alive until the scan is done.
  napi_ref refs[4];
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

static void complete(napi_env env, napi_status status, void *data) {
  Job *job = data;
  settle(env, job->deferred, status == napi_ok, (double)job->lines, job->kind->name);
  for (int i = 0; i < 4; i++) {
    if (job->refs[i] != NULL) napi_delete_reference(env, job->refs[i]);
  }
  napi_delete_async_work(env, job->work);
  free(job);
}

napi_value scan_later(napi_env env, napi_callback_info info, const ScanKind *kind) {
  napi_value argv[7];
  size_t argc = 7;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Job *job = calloc(1, sizeof(Job));
  if (job == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  job->kind = kind;
  if (argc < 7 || !scan_args(env, argv, kind, &job->args)) {
    free(job);
    return bad_arguments(env, kind);
  }
  const int kept[4] = {0, 1, 5, 6};
  for (int i = 0; i < 4; i++) {
    if (i == 0 && !kind->stateful) continue;
    NAPI_CALL(env, napi_create_reference(env, argv[kept[i]], 1, &job->refs[i]));
  }
  napi_value promise, name;
  NAPI_CALL(env, napi_create_promise(env, &job->deferred, &promise));
  NAPI_CALL(env, napi_create_string_utf8(env, kind->name, NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_create_async_work(env, NULL, name, execute, complete, job, &job->work));
  NAPI_CALL(env, napi_queue_async_work(env, job->work));
  return promise;
}
