// The two line shapes that make up almost all of a large `--deep-iteration`
// DumpLogSegments output, read in C for `gap` (see src/readers/dump-bytes.ts,
// whose parseBatch / parseRecord / recordLine this follows key by key):
//
//   baseOffset: N lastOffset: N count: N baseSequence: N lastSequence: N producerId: N producerEpoch: N
//     partitionLeaderEpoch: N isTransactional: B isControl: B [deleteHorizonMs: OptionalLong.empty]
//     position: N CreateTime|LogAppendTime: N size: N magic: N compresscodec: W crc: N isvalid: B
//   [| ]offset: N CreateTime|LogAppendTime: N keysize|keySize: N valuesize|valueSize: N sequence: N headerKeys: [...]
//
// A line is taken only when it is exactly that shape; every other line is
// reported as "other" and the caller reads its text.
#include "kforensics.h"

// Line kinds, as src/readers/native.ts reads them.
enum { DUMP_OTHER = 0, DUMP_BATCH = 1, DUMP_RECORD_INDENTED = 2, DUMP_RECORD = 3 };

typedef struct {
  const uint8_t *b;
  size_t at, e;
} Cursor;

// The hot helpers are inlined (a call per key cost more than the key): INLINE.
#define INLINE static inline __attribute__((always_inline))

INLINE bool take(Cursor *c, const char *literal, size_t n) {
  if (c->at + n > c->e || memcmp(c->b + c->at, literal, n) != 0) return false;
  c->at += n;
  return true;
}
#define TAKE(c, s) take((c), (s), sizeof(s) - 1)

// int(): an optional `-` and 1-15 digits, ended by a space or the line's end.
INLINE bool num(Cursor *c, double *value) {
  size_t i = c->at;
  bool neg = i < c->e && c->b[i] == '-';
  if (neg) i++;
  size_t from = i;
  int64_t n = 0;
  for (; i < c->e; i++) {
    unsigned d = (unsigned)c->b[i] - '0';
    if (d > 9) break;
    if (i - from < 15) n = n * 10 + (int64_t)d;
  }
  size_t digits = i - from;
  if (digits == 0 || digits > 15 || (i < c->e && c->b[i] != ' ')) return false;
  c->at = i;
  // `-0` is -0, as Number('-0') gives.
  *value = neg ? -(double)n : (double)n;
  return true;
}

INLINE bool boolean(Cursor *c) {
  return TAKE(c, "true") || TAKE(c, "false");
}

INLINE bool ended(const Cursor *c) {
  return c->at == c->e || c->b[c->at] == ' ';
}

// 0: CreateTime, 1: LogAppendTime, -1: neither.
INLINE int timestamp_key(Cursor *c) {
  if (TAKE(c, " CreateTime: ")) return 0;
  if (TAKE(c, " LogAppendTime: ")) return 1;
  return -1;
}

// The codec word: letters, digits and `_`, ended by a space or the line's end.
static bool codec(Cursor *c) {
  size_t i = c->at;
  for (; i < c->e; i++) {
    uint8_t ch = c->b[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) break;
  }
  if (i == c->at || (i < c->e && c->b[i] != ' ')) return false;
  c->at = i;
  return true;
}

// `true` → 1, `false` → 0, anything else → -1.
INLINE int boolean_value(Cursor *c) {
  if (TAKE(c, "true")) return 1;
  if (TAKE(c, "false")) return 0;
  return -1;
}

// nums: baseOffset, lastOffset, count, timestamp, partitionLeaderEpoch, producerId, producerEpoch, lastSequence, isvalid (1/0).
static int batch_line(Cursor *c, double *nums, int32_t *type) {
  double v[8], ignored;
  if (!TAKE(c, "baseOffset: ") || !num(c, &v[0]) || !TAKE(c, " lastOffset: ") || !num(c, &v[1]) ||
      !TAKE(c, " count: ") || !num(c, &v[2]) || !TAKE(c, " baseSequence: ") || !num(c, &v[3]) ||
      !TAKE(c, " lastSequence: ") || !num(c, &v[4]) || !TAKE(c, " producerId: ") || !num(c, &v[5]) ||
      !TAKE(c, " producerEpoch: ") || !num(c, &v[6]) || !TAKE(c, " partitionLeaderEpoch: ") || !num(c, &v[7])) {
    return DUMP_OTHER;
  }
  if (!TAKE(c, " isTransactional: ") || !boolean(c) || !ended(c)) return DUMP_OTHER;
  if (!TAKE(c, " isControl: ") || !boolean(c) || !ended(c)) return DUMP_OTHER;
  if (c->at + 1 < c->e && c->b[c->at + 1] == 'd' && (!TAKE(c, " deleteHorizonMs: OptionalLong.empty") || !ended(c))) {
    return DUMP_OTHER;
  }
  if (!TAKE(c, " position: ") || !num(c, &ignored)) return DUMP_OTHER;
  int ts = timestamp_key(c);
  double timestamp;
  if (ts < 0 || !num(c, &timestamp) || !TAKE(c, " size: ") || !num(c, &ignored) || !TAKE(c, " magic: ") ||
      !num(c, &ignored) || !TAKE(c, " compresscodec: ") || !codec(c) || !TAKE(c, " crc: ") || !num(c, &ignored) ||
      !TAKE(c, " isvalid: ")) return DUMP_OTHER;
  int valid = boolean_value(c);
  if (valid < 0 || c->at != c->e) return DUMP_OTHER;
  nums[0] = v[0];
  nums[1] = v[1];
  nums[2] = v[2];
  nums[3] = timestamp;
  nums[4] = v[7];
  nums[5] = v[5];
  nums[6] = v[6];
  nums[7] = v[4];
  nums[8] = valid;
  *type = ts;
  return DUMP_BATCH;
}

// nums: offset, timestamp, sequence.
static int record_line(Cursor *c, bool indented, double *nums, int32_t *type) {
  double offset, timestamp, sequence, ignored;
  if (!(indented ? TAKE(c, "| offset: ") : TAKE(c, "offset: ")) || !num(c, &offset)) return DUMP_OTHER;
  int ts = timestamp_key(c);
  if (ts < 0 || !num(c, &timestamp) || !(TAKE(c, " keysize: ") || TAKE(c, " keySize: ")) || !num(c, &ignored)) {
    return DUMP_OTHER;
  }
  if (!(TAKE(c, " valuesize: ") || TAKE(c, " valueSize: ")) || !num(c, &ignored) || !TAKE(c, " sequence: ") ||
      !num(c, &sequence) || !TAKE(c, " headerKeys: [")) return DUMP_OTHER;
  // `[…]` to the end of the line, one `]` only, printable ASCII inside.
  if (c->e == 0 || c->b[c->e - 1] != ']' || c->e - 1 < c->at) return DUMP_OTHER;
  for (size_t i = c->at; i < c->e - 1; i++) {
    uint8_t ch = c->b[i];
    if (ch < 32 || ch > 126 || ch == ']') return DUMP_OTHER;
  }
  nums[0] = offset;
  nums[1] = timestamp;
  nums[2] = sequence;
  *type = ts;
  return indented ? DUMP_RECORD_INDENTED : DUMP_RECORD;
}

#define DUMP_STRIDE 4
#define DUMP_NUMS 9

// Line k: out[1 + k*4 ...] = kind, start, end (CR removed), timestamp type; nums[k*9 ...] its numbers.
static size_t dump_scan(void *scanner, const uint8_t *b, size_t s, size_t to, bool final, int32_t *out, double *nums,
                        size_t capacity) {
  (void)scanner;
  size_t n = 0;
  while (s < to && n < capacity) {
    size_t nl, e;
    if (!next_line(b, s, to, final, &nl, &e)) break;
    int32_t *slot = out + 1 + n * DUMP_STRIDE;
    double *v = nums + n * DUMP_NUMS;
    Cursor c = {b, s, e};
    int kind = DUMP_OTHER;
    slot[3] = 0;
    if (e > s) {
      switch (b[s]) {
        case 'b': kind = batch_line(&c, v, &slot[3]); break;
        case '|': kind = record_line(&c, true, v, &slot[3]); break;
        case 'o': kind = record_line(&c, false, v, &slot[3]); break;
        default: break;
      }
    }
    slot[0] = kind;
    slot[1] = (int32_t)s;
    slot[2] = (int32_t)e;
    n++;
    s = nl + 1;
  }
  out[0] = (int32_t)(s < to ? s : to);
  return n;
}

static const ScanKind DUMP = {"scanDump", DUMP_STRIDE, DUMP_NUMS, dump_scan, false};

static napi_value scan_dump(napi_env env, napi_callback_info info) {
  return scan_now(env, info, &DUMP);
}

static napi_value scan_dump_async(napi_env env, napi_callback_info info) {
  return scan_later(env, info, &DUMP);
}

void dump_scan_register(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"scanDump", NULL, scan_dump, NULL, NULL, NULL, napi_default, NULL},
    {"scanDumpAsync", NULL, scan_dump_async, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
