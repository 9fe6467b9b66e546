// Shared by the native scanners (see src/readers/native.ts for why they exist).
#ifndef KFORENSICS_H
#define KFORENSICS_H
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
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

// The day of the last timestamp read, so a day's number is computed once.
typedef struct {
  int32_t key;
  double ms;
} DayCache;

// The data of a typed array of the given type (NULL when it is another), and its length.
void *typed_array_data(napi_env env, napi_value value, napi_typedarray_type want, size_t *length);

// naiveFromFields over `yyyy-MM-dd HH:mm:ss,SSS` at p (23 bytes the caller has): NaN when invalid.
double naive_timestamp(DayCache *days, const uint8_t *p);

void kafka_scan_register(napi_env env, napi_value exports);

#endif
