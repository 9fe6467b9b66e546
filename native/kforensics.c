// The native module: scanners for the hot loops of the byte-level readers.
#include "kforensics.h"
#include <math.h>

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
  return days->ms + (double)(((hour * 60 + minute) * 60 + second) * 1000 + milli);
}

NAPI_MODULE_INIT() {
  kafka_scan_register(env, exports);
  dump_scan_register(env, exports);
  return exports;
}
