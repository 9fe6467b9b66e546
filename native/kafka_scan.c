// The byte-level scan of Kafka-layout log lines (`[%d] %p %m (%c)%n`), in C:
// the per-line work the JavaScript byte path (src/readers/kafka-bytes.ts,
// src/read/kafka-fast.ts) does, at memchr speed. It decides nothing the
// JavaScript side could not: every line is reported with what it is, and a
// record is marked "skip" only when its logger's gate says no rule can
// classify it (no rule for that logger, or none of the rules' keywords in
// its message). Anything uncertain is reported as "decode", and the caller
// reads that line through the string path. See src/readers/native.ts.
#include "kforensics.h"
#include <pthread.h>

// Line kinds, as src/readers/native.ts reads them.
// KIND_KEYWORD: a candidate whose message holds one of its gate's keywords
// (GATE_KEYWORDS, GATE_BARE); KIND_CANDIDATE: one not tested for them.
enum { KIND_SKIP = 0, KIND_CANDIDATE = 1, KIND_DECODE = 2, KIND_CONTINUATION = 3, KIND_RUN = 4, KIND_RUN_END = 5, KIND_KEYWORD = 6 };
// Inside the scan only: a record of a GATE_BARE logger without its keywords,
// reported as skipped when the next line certainly starts a record (it then
// folds no line), else as a candidate.
enum { KIND_BARE = 7 };
// A logger's gate, set by the caller once it has looked the logger up.
// GATE_BARE: its rules read the folded lines too (a cause), but a record
// folding none is decided on its message, as GATE_KEYWORDS decides.
enum { GATE_UNKNOWN = 0, GATE_SKIP = 1, GATE_KEYWORDS = 2, GATE_ALWAYS = 3, GATE_BARE = 4 };

// Loggers remembered; lines of loggers past that are decoded (as the JavaScript table does).
#define MAX_LOGGERS 4096
#define TABLE_SLOTS 8192

typedef struct {
  uint8_t *name;
  uint32_t length;
  uint32_t hash;
  int32_t id;
} Slot;

#define SHIFT_ENTRIES 4096
#define PAIR(a, b) ((((uint32_t)(a) << 5) ^ (uint32_t)(b)) & (SHIFT_ENTRIES - 1))

typedef struct {
  uint8_t mode;
  // The role of its records (a bit: 1 broker, 2 ZooKeeper), for runs.
  uint8_t role;
  uint32_t count;
  uint8_t **words;
  uint32_t *lengths;
  // Wu-Manber over byte pairs: how far the window may move when its last two
  // bytes hash to this entry (0: a keyword may end its first `shortest`
  // bytes here). Pairs share entries (the smallest shift wins), so the table
  // stays in the L1 cache.
  uint8_t *shift;
  uint32_t shortest;
} Gate;

// Loggers by the last 8 bytes before a line's closing `)` (TAIL_SLOTS
// entries, direct-mapped, id + 1; 0: none): a line of a logger met before
// is matched with one memcmp of its name instead of being crossed byte by
// byte back to its `(`, then hashed and looked up (half of a line's scan).
#define TAIL_SLOTS 256

typedef struct {
  Slot slots[TABLE_SLOTS];
  Gate gates[MAX_LOGGERS];
  // Each logger's slot (its name), by id.
  const Slot *named[MAX_LOGGERS];
  int32_t tails[TAIL_SLOTS];
  int32_t loggers;
  DayCache days;
  // Naive times in [window_from, window_to) convert to epoch ms by
  // subtracting window_offset (the zone's offset is the same all through):
  // skipped records there are counted in runs. An empty window: no runs.
  double window_from, window_to, window_offset;
  // ZooKeeper's native layout (`%d [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n`) rather than Kafka's.
  bool zookeeper;
  // Scans of one scanner may be queued on libuv's pool at once (the next
  // buffer's waits for this one's, not for the main thread); they and the
  // setters take turns.
  pthread_mutex_t lock;
} KafkaScanner;

static void gate_free(Gate *g) {
  for (uint32_t k = 0; k < g->count; k++) free(g->words[k]);
  free(g->words);
  free(g->lengths);
  free(g->shift);
}

static void kafka_scanner_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  KafkaScanner *s = data;
  pthread_mutex_destroy(&s->lock);
  for (uint32_t i = 0; i < TABLE_SLOTS; i++) free(s->slots[i].name);
  for (int32_t i = 0; i < MAX_LOGGERS; i++) gate_free(&s->gates[i]);
  free(s);
}

// Bytes of a logger name (`[\w.$-]` plus Connect's `:line`), as LOGGER_BYTE in kafka-bytes.ts.
static uint8_t LOGGER_BYTE[256];
// Bytes of a ZooKeeper class name (`[\w.$]`), as CLASS_BYTE in zookeeper-bytes.ts.
static uint8_t CLASS_BYTE[256];

void kafka_scan_init_tables(void) {
  for (int c = 0; c < 256; c++) {
    LOGGER_BYTE[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
      c == '_' || c == '.' || c == '$' || c == '-' || c == ':';
    CLASS_BYTE[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
  }
}

// isLoggerNameBytes: non-empty, at most one inner colon, only digits after it.
static int is_logger_name(const uint8_t *b, size_t s, size_t e) {
  if (e <= s) return 0;
  ssize_t colon = -1;
  for (size_t i = s; i < e; i++) {
    uint8_t c = b[i];
    if (c >= '0' && c <= '9') continue;
    if (c == ':') {
      if (colon != -1 || i == s || i == e - 1) return 0;
      colon = (ssize_t)i;
    } else if (colon != -1) {
      return 0;
    }
  }
  return 1;
}

// Length of log4j's level word at p when a space follows it, else 0 (levelLength in kafka-bytes.ts).
static size_t level_length(const uint8_t *b, size_t p, size_t e) {
  const char *word;
  switch (b[p]) {
    case 'I': word = "INFO"; break;
    case 'D': word = "DEBUG"; break;
    case 'T': word = "TRACE"; break;
    case 'W': word = "WARN"; break;
    case 'E': word = "ERROR"; break;
    case 'F': word = "FATAL"; break;
    default: return 0;
  }
  size_t n = word[4] == '\0' ? 4 : 5;
  return p + n < e && memcmp(b + p, word, n) == 0 && b[p + n] == ' ' ? n : 0;
}

static int starts_with(const uint8_t *b, size_t s, size_t e, const char *prefix) {
  size_t n = strlen(prefix);
  return e - s >= n && memcmp(b + s, prefix, n) == 0;
}

// isForeignLine: SLF4J's, nohup's and the Docker entrypoint's lines.
static int is_foreign(const uint8_t *b, size_t s, size_t e) {
  switch (b[s]) {
    case 'S': return starts_with(b, s, e, "SLF4J: ");
    case 'n': return starts_with(b, s, e, "nohup: ");
    case '[': return starts_with(b, s, e, "[Configuring] ");
    case 'E': return starts_with(b, s, e, "Excluding KAFKA_");
    default: return 0;
  }
}

// A hash of a logger name, 8 bytes at a time (a byte-wise hash's multiply
// chain cost more than the rest of a line's scan).
static uint32_t name_hash(const uint8_t *p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, n);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  return (uint32_t)(h ^ (h >> 32));
}

// The id of the logger at b[s, e) hashed to h; -1 when the table is full and it is new.
static int32_t logger_id(KafkaScanner *sc, const uint8_t *b, size_t s, size_t e, uint32_t h) {
  uint32_t len = (uint32_t)(e - s);
  for (uint32_t i = h & (TABLE_SLOTS - 1);; i = (i + 1) & (TABLE_SLOTS - 1)) {
    Slot *slot = &sc->slots[i];
    if (slot->name == NULL) {
      if (sc->loggers >= MAX_LOGGERS) return -1;
      slot->name = malloc(len ? len : 1);
      if (slot->name == NULL) return -1;
      memcpy(slot->name, b + s, len);
      slot->length = len;
      slot->hash = h;
      slot->id = sc->loggers++;
      sc->named[slot->id] = slot;
      return slot->id;
    }
    if (slot->hash == h && slot->length == len && memcmp(slot->name, b + s, len) == 0) return slot->id;
  }
}

// Whether one of the gate's keywords is in b[s, e): Wu-Manber with byte
// pairs, so a message is crossed in steps of up to the shortest keyword's
// length rather than byte by byte (one memmem per keyword cost more than the
// rest of the scan).
static int has_keyword(const Gate *g, const uint8_t *b, size_t s, size_t e) {
  size_t m = g->shortest;
  if (e - s < m) return 0;
  for (size_t end = s + m - 1; end < e;) {
    uint8_t step = g->shift[PAIR(b[end - 1], b[end])];
    if (step > 0) {
      end += step;
      continue;
    }
    size_t at = end + 1 - m;
    for (uint32_t k = 0; k < g->count; k++) {
      size_t len = g->lengths[k];
      if (at + len <= e && memcmp(b + at, g->words[k], len) == 0) return 1;
    }
    end++;
  }
  return 0;
}

// The shift table of the gate's keywords (all at least 2 bytes long).
static int build_shift(Gate *g) {
  uint32_t m = UINT32_MAX;
  for (uint32_t k = 0; k < g->count; k++) if (g->lengths[k] < m) m = g->lengths[k];
  if (m > 255) m = 255;
  if (m < 2) return 0;
  g->shortest = m;
  g->shift = malloc(SHIFT_ENTRIES);
  if (g->shift == NULL) return 0;
  memset(g->shift, (int)(m - 1), SHIFT_ENTRIES);
  for (uint32_t k = 0; k < g->count; k++) {
    // A pair ending at j (1 <= j <= m-1) of the keyword's first m bytes lets the window move m-1-j.
    for (uint32_t j = 1; j < m; j++) {
      uint32_t pair = PAIR(g->words[k][j - 1], g->words[k][j]);
      uint8_t step = (uint8_t)(m - 1 - j);
      if (step < g->shift[pair]) g->shift[pair] = step;
    }
  }
  return 1;
}

// The tail-cache entry of a line ending at e (e - s >= 10): its 8 bytes before the closing `)`.
static inline uint32_t tail_entry(const uint8_t *b, size_t e) {
  uint64_t w;
  memcpy(&w, b + e - 9, 8);
  return (uint32_t)((w * 0x9e3779b97f4a7c15ull) >> 56) & (TAIL_SLOTS - 1);
}

// The logger of the tail cache's entry when the line at b[s, e) ends with
// `(` name `)` of it: the offset of its `(` (where the byte-wise scan back
// would stop: a known name holds only logger bytes, `(` is none), else 0.
static inline size_t tail_logger(const KafkaScanner *sc, const uint8_t *b, size_t s, size_t e, uint32_t entry, int32_t *id) {
  int32_t known = sc->tails[entry] - 1;
  if (known < 0) return 0;
  const Slot *slot = sc->named[known];
  size_t len = slot->length;
  if (len + 2 > e - s || b[e - 2 - len] != '(' || memcmp(b + e - 1 - len, slot->name, len) != 0) return 0;
  *id = known;
  return e - 2 - len;
}

// One line at b[s, e) (newline and CR removed): its kind, and for a record
// its logger id, message start and logger start in out[3..5] and its time.
static int32_t scan_line(KafkaScanner *sc, const uint8_t *b, size_t s, size_t e, int32_t *out, double *time) {
  if (e - s < 2 || b[s] != '[' || b[s + 1] < '0' || b[s + 1] > '9') {
    // Another writer's line is never folded; any other line continues the record before.
    return e > s && is_foreign(b, s, e) ? KIND_DECODE : KIND_CONTINUATION;
  }
  // scanKafkaStart: `[` timestamp `] ` level ` ` message ` (` logger `)`.
  if (e - s < 28 || b[s + 24] != ']' || b[s + 25] != ' ') return KIND_DECODE;
  double naive = naive_timestamp(&sc->days, b + s + 1);
  if (naive != naive) return KIND_DECODE;
  size_t level = level_length(b, s + 26, e);
  if (level == 0) return KIND_DECODE;
  size_t rest = s + 26 + level + 1;
  if (b[e - 1] != ')') return KIND_DECODE;
  uint32_t entry = tail_entry(b, e);
  int32_t id = -1;
  size_t i = tail_logger(sc, b, s, e, entry, &id);
  if (i != 0) {
    // A known name passed the checks below when it was learnt; the bytes before it are this line's.
    if (i < rest + 1 || b[i - 1] != ' ') return KIND_DECODE;
  } else {
    i = e - 2;
    // A colon (Connect's `Class:line`) sends the name to the full check.
    int colon = 0;
    while (i >= rest) {
      uint8_t c = b[i];
      if (!LOGGER_BYTE[c]) break;
      colon |= c == ':';
      i--;
    }
    if (i < rest + 1 || b[i] != '(' || b[i - 1] != ' ' || i + 1 >= e - 1) return KIND_DECODE;
    if (colon && !is_logger_name(b, i + 1, e - 1)) return KIND_DECODE;
    id = logger_id(sc, b, i + 1, e - 1, name_hash(b + i + 1, e - 1 - (i + 1)));
    if (id < 0) return KIND_DECODE;
    sc->tails[entry] = id + 1;
  }
  out[3] = id;
  out[4] = (int32_t)rest;
  out[5] = (int32_t)(i + 1);
  *time = naive;
  const Gate *g = &sc->gates[id];
  switch (g->mode) {
    case GATE_SKIP: return KIND_SKIP;
    case GATE_KEYWORDS: return has_keyword(g, b, rest, i - 1) ? KIND_KEYWORD : KIND_SKIP;
    case GATE_BARE: return has_keyword(g, b, rest, i - 1) ? KIND_KEYWORD : KIND_BARE;
    default: return KIND_CANDIDATE;
  }
}

// Whether n bytes at p are all ASCII, 8 at a time.
static inline bool ascii(const uint8_t *p, size_t n) {
  uint64_t any = 0;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    any |= w;
  }
  for (; n > 0; p++, n--) any |= *p;
  return (any & 0x8080808080808080ull) == 0;
}

// One ZooKeeper native-layout line at b[s, e): scanZooKeeperStart in
// src/readers/zookeeper-bytes.ts, byte for byte. A record's fields: logger
// (class) id, message start, class start and end, and its `[myid:N]`'s
// digits [start, end) in out[3..8] (-1, -1 when it names no server: none,
// or a client's address); anything uncertain is "decode".
static int32_t scan_zookeeper_line(KafkaScanner *sc, const uint8_t *b, size_t s, size_t e, int32_t *out, double *time) {
  if (s >= e || b[s] < '0' || b[s] > '9') return e > s && is_foreign(b, s, e) ? KIND_DECODE : KIND_CONTINUATION;
  if (e - s < 28 || b[s + 23] != ' ') return KIND_DECODE;
  double naive = naive_timestamp(&sc->days, b + s);
  if (naive != naive) return KIND_DECODE;
  size_t p = s + 24;
  int32_t myid_s = -1, myid_e = -1;
  if (p + 6 <= e && memcmp(b + p, "[myid:", 6) == 0) {
    const uint8_t *close = memchr(b + p + 6, ']', e - (p + 6));
    if (close == NULL) return KIND_DECODE;
    size_t c = (size_t)(close - b);
    size_t i = p + 6;
    while (i < c && b[i] >= '0' && b[i] <= '9') i++;
    if (i == c) {
      myid_s = (int32_t)(p + 6);
      myid_e = (int32_t)c;
    }
    p = c + 1;
    if (p >= e || b[p] != ' ') return KIND_DECODE;
    p++;
  }
  if (p + 1 >= e || b[p] != '-' || b[p + 1] != ' ') return KIND_DECODE;
  p += 2;
  size_t level = level_length(b, p, e);
  if (level == 0) return KIND_DECODE;
  p += level;
  while (p < e && b[p] == ' ') p++;
  if (p >= e || b[p] != '[') return KIND_DECODE;
  // threadAndClass: the first `:Class@N]` after the `[`.
  size_t open = p, class_s = 0, class_e = 0;
  bool found = false;
  for (const uint8_t *at = memchr(b + open + 1, '@', e - open - 1); at != NULL;
       at = (size_t)(at - b) + 1 < e ? memchr(at + 1, '@', e - (size_t)(at - b) - 1) : NULL) {
    size_t a = (size_t)(at - b);
    size_t q = a + 1;
    while (q < e && b[q] >= '0' && b[q] <= '9') q++;
    if (q > a + 1 && q < e && b[q] == ']') {
      size_t c = a;
      while (c > open + 1 && CLASS_BYTE[b[c - 1]]) c--;
      if (c < a && b[c - 1] == ':' && c - 1 > open) {
        class_s = c;
        class_e = a;
        p = q + 1;
        found = true;
        break;
      }
    }
  }
  if (!found) return KIND_DECODE;
  // TRACEFILE's `[%x]`.
  if (p < e && b[p] == '[') {
    const uint8_t *close = memchr(b + p, ']', e - p);
    if (close == NULL) return KIND_DECODE;
    p = (size_t)(close - b) + 1;
  }
  if (p + 1 >= e || b[p] != ' ' || b[p + 1] != '-') return KIND_DECODE;
  p += 2;
  if (p < e && b[p] == ' ') p++;
  // The message is decoded alone as the whole line would be only when the
  // bytes before it are ASCII (the JavaScript scan stops at the first byte
  // above ASCII before the class, and checks the bytes around it: together,
  // every byte from the `[myid:` on).
  if (!ascii(b + s + 24, p - (s + 24))) return KIND_DECODE;
  int32_t id = logger_id(sc, b, class_s, class_e, name_hash(b + class_s, class_e - class_s));
  if (id < 0) return KIND_DECODE;
  out[3] = id;
  out[4] = (int32_t)p;
  out[5] = (int32_t)class_s;
  out[6] = (int32_t)class_e;
  out[7] = myid_s;
  out[8] = myid_e;
  *time = naive;
  const Gate *g = &sc->gates[id];
  switch (g->mode) {
    case GATE_SKIP: return KIND_SKIP;
    case GATE_KEYWORDS: return has_keyword(g, b, p, e) ? KIND_KEYWORD : KIND_SKIP;
    case GATE_BARE: return has_keyword(g, b, p, e) ? KIND_KEYWORD : KIND_BARE;
    default: return KIND_CANDIDATE;
  }
}

// A run of lines the caller would only count: records no rule can classify
// (times inside the scanner's window) and the continuation lines folded into
// them. Its two slots: [RUN, records, folded, out of order, roles, start]
// with times[k] = the first record's epoch ms, then [RUN_END, end, myid
// start, myid end] with times[k + 1] = the latest epoch ms. The out-of-order
// count is the run's own (records older than one before them in the run);
// it is the reader's too when the reader's latest time is not after the
// first record's (the caller checks, and reads the run's lines itself when
// it is). A ZooKeeper run's records all name the same server (its
// `[myid:N]` digits, -1 -1 for none); a Kafka run's name none.
typedef struct {
  int32_t *slot;
  double *times;
  double latest;
  size_t stride;
  int32_t myid_s, myid_e;
} Run;

static void run_end(Run *run, size_t end) {
  if (run->slot == NULL) return;
  int32_t *last = run->slot + run->stride;
  last[0] = KIND_RUN_END;
  last[1] = (int32_t)end;
  last[2] = run->myid_s;
  last[3] = run->myid_e;
  run->times[1] = run->latest;
  run->slot = NULL;
}

// Whether two `[myid:N]` digit spans of b (-1 -1: none) are the same server.
static bool same_myid(const uint8_t *b, int32_t s1, int32_t e1, int32_t s2, int32_t e2) {
  if (e1 - s1 != e2 - s2) return false;
  if (s1 < 0 || s2 < 0) return s1 == s2;
  return memcmp(b + s1, b + s2, (size_t)(e1 - s1)) == 0;
}

// Whole lines of b[s, to) (the last one without its newline only when
// final), until `capacity` lines: out[0] gets the offset reading stopped at,
// and line k's fields are out[1 + k*stride ...]: kind, start, end (CR
// removed), then the layout's record fields (scan_line, scan_zookeeper_line);
// times[k] its naive time.
static size_t scan_range(KafkaScanner *sc, const uint8_t *b, size_t s, size_t to, bool final, int32_t *out,
                         double *times, size_t capacity) {
  const bool zk = sc->zookeeper;
  const size_t stride = zk ? ZOOKEEPER_STRIDE : KAFKA_STRIDE;
  // Lines holding NUL bytes are decoded: their text loses the NULs, which moves every column.
  const uint8_t *nul = s < to ? memchr(b + s, 0, to - s) : NULL;
  size_t n = 0;
  Run run = {NULL, NULL, 0, stride, -1, -1};
  size_t run_to = s;
  // The slot of the line before when it was KIND_BARE: decided by this line.
  int32_t *bare = NULL;
  while (s < to && n < capacity) {
    size_t nl, e;
    if (!next_line(b, s, to, final, &nl, &e)) break;
    int32_t *slot = out + 1 + n * stride;
    slot[1] = (int32_t)s;
    slot[2] = (int32_t)e;
    int32_t kind;
    if (nul != NULL && (size_t)(nul - b) < nl) {
      kind = KIND_DECODE;
      nul = nl + 1 < to ? memchr(b + nl + 1, 0, to - nl - 1) : NULL;
    } else {
      kind = zk ? scan_zookeeper_line(sc, b, s, e, slot, &times[n]) : scan_line(sc, b, s, e, slot, &times[n]);
    }
    // Where the next line starts (a final line without its newline ends the range).
    size_t next = nl < to ? nl + 1 : to;
    if (bare != NULL) {
      if (kind == KIND_SKIP || kind == KIND_CANDIDATE || kind == KIND_KEYWORD || kind == KIND_BARE) bare[0] = KIND_SKIP;
      bare = NULL;
    }
    if (kind == KIND_BARE) {
      // A candidate unless the next line (in this scan) starts a record.
      kind = KIND_CANDIDATE;
      bare = slot;
    }
    if (kind == KIND_CONTINUATION && run.slot != NULL) {
      run.slot[2]++;
      run_to = next;
      s = nl + 1;
      continue;
    }
    if (kind == KIND_SKIP && times[n] >= sc->window_from && times[n] < sc->window_to) {
      double epoch = times[n] - sc->window_offset;
      uint8_t role = sc->gates[slot[3]].role;
      int32_t myid_s = zk ? slot[7] : -1, myid_e = zk ? slot[8] : -1;
      if (run.slot != NULL && same_myid(b, run.myid_s, run.myid_e, myid_s, myid_e)) {
        run.slot[1]++;
        if (epoch < run.latest) run.slot[3]++;
        else run.latest = epoch;
        run.slot[4] |= role;
        run_to = next;
        s = nl + 1;
        continue;
      }
      if (n + 2 <= capacity) {
        // A new run (two slots) starts here, after the one before (another server's).
        run_end(&run, run_to);
        run.slot = slot;
        run.times = &times[n];
        run.latest = epoch;
        run.myid_s = myid_s;
        run.myid_e = myid_e;
        slot[0] = KIND_RUN;
        slot[1] = 1;
        slot[2] = 0;
        slot[3] = 0;
        slot[4] = role;
        slot[5] = (int32_t)s;
        times[n] = epoch;
        n += 2;
        run_to = next;
        s = nl + 1;
        continue;
      }
    }
    // Any other line ends the run (its own slot comes after the run's two).
    run_end(&run, run_to);
    slot[0] = kind;
    n++;
    s = nl + 1;
  }
  run_end(&run, run_to);
  out[0] = (int32_t)(s < to ? s : to);
  return n;
}

static size_t kafka_scan(void *scanner, const uint8_t *b, size_t from, size_t to, bool final, int32_t *out,
                         double *times, size_t capacity) {
  KafkaScanner *sc = scanner;
  pthread_mutex_lock(&sc->lock);
  // A scanner of the other layout (its stride is not this call's): nothing scanned.
  size_t n = sc->zookeeper ? 0 : scan_range(sc, b, from, to, final, out, times, capacity);
  pthread_mutex_unlock(&sc->lock);
  return n;
}

static size_t zookeeper_scan(void *scanner, const uint8_t *b, size_t from, size_t to, bool final, int32_t *out,
                             double *times, size_t capacity) {
  KafkaScanner *sc = scanner;
  pthread_mutex_lock(&sc->lock);
  size_t n = sc->zookeeper ? scan_range(sc, b, from, to, final, out, times, capacity) : 0;
  pthread_mutex_unlock(&sc->lock);
  return n;
}

static const ScanKind KAFKA = {"scanKafka", KAFKA_STRIDE, 1, kafka_scan, true};
static const ScanKind ZOOKEEPER = {"scanZooKeeper", ZOOKEEPER_STRIDE, 1, zookeeper_scan, true};

static napi_value scan_zookeeper(napi_env env, napi_callback_info info) {
  return scan_now(env, info, &ZOOKEEPER);
}

static napi_value scan_zookeeper_async(napi_env env, napi_callback_info info) {
  return scan_later(env, info, &ZOOKEEPER);
}

static napi_value scan_kafka(napi_env env, napi_callback_info info) {
  return scan_now(env, info, &KAFKA);
}

static napi_value scan_kafka_async(napi_env env, napi_callback_info info) {
  return scan_later(env, info, &KAFKA);
}

static napi_value create_scanner(napi_env env, bool zookeeper) {
  KafkaScanner *sc = calloc(1, sizeof(KafkaScanner));
  if (sc == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  sc->days.key = -1;
  sc->zookeeper = zookeeper;
  pthread_mutex_init(&sc->lock, NULL);
  napi_value external;
  NAPI_CALL(env, napi_create_external(env, sc, kafka_scanner_free, NULL, &external));
  return external;
}

static napi_value create_kafka_scanner(napi_env env, napi_callback_info info) {
  (void)info;
  return create_scanner(env, false);
}

// A scanner of ZooKeeper's native layout: its gates and window are set as a Kafka scanner's.
static napi_value create_zookeeper_scanner(napi_env env, napi_callback_info info) {
  (void)info;
  return create_scanner(env, true);
}

// setKafkaWindow(scanner, from, to, offsetMs): naive times in [from, to) are
// epoch ms + offsetMs; skipped records there are counted in runs.
static napi_value set_window(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  size_t argc = 4;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  KafkaScanner *sc;
  double from, to, offset;
  if (argc < 4 || napi_get_value_external(env, argv[0], (void **)&sc) != napi_ok ||
      napi_get_value_double(env, argv[1], &from) != napi_ok || napi_get_value_double(env, argv[2], &to) != napi_ok ||
      napi_get_value_double(env, argv[3], &offset) != napi_ok) {
    napi_throw_range_error(env, NULL, "setKafkaWindow: bad arguments");
    return NULL;
  }
  pthread_mutex_lock(&sc->lock);
  sc->window_from = from;
  sc->window_to = to;
  sc->window_offset = offset;
  pthread_mutex_unlock(&sc->lock);
  return NULL;
}

// setKafkaGate(scanner, id, mode, keywords: Buffer[], role): what a record of logger `id` needs.
static napi_value set_gate(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  size_t argc = 5;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  KafkaScanner *sc;
  NAPI_CALL(env, napi_get_value_external(env, argv[0], (void **)&sc));
  int32_t id, mode, role;
  NAPI_CALL(env, napi_get_value_int32(env, argv[1], &id));
  NAPI_CALL(env, napi_get_value_int32(env, argv[2], &mode));
  NAPI_CALL(env, napi_get_value_int32(env, argv[4], &role));
  if (id < 0 || id >= MAX_LOGGERS || mode < GATE_UNKNOWN || mode > GATE_BARE) {
    napi_throw_range_error(env, NULL, "setGate: bad logger id or mode");
    return NULL;
  }
  // The new gate is built aside, then swapped in while no scan runs.
  Gate g = {0};
  g.role = (uint8_t)role;
  uint32_t count = 0;
  if (mode == GATE_KEYWORDS || mode == GATE_BARE) NAPI_CALL(env, napi_get_array_length(env, argv[3], &count));
  if (count > 0) {
    g.words = calloc(count, sizeof(uint8_t *));
    g.lengths = calloc(count, sizeof(uint32_t));
    if (g.words == NULL || g.lengths == NULL) {
      gate_free(&g);
      napi_throw_error(env, NULL, "out of memory");
      return NULL;
    }
    for (uint32_t k = 0; k < count; k++) {
      napi_value word;
      uint8_t *bytes;
      size_t length;
      if (napi_get_element(env, argv[3], k, &word) != napi_ok ||
          napi_get_buffer_info(env, word, (void **)&bytes, &length) != napi_ok ||
          (g.words[k] = malloc(length ? length : 1)) == NULL) {
        gate_free(&g);
        napi_throw_error(env, NULL, "setGate: bad keyword");
        return NULL;
      }
      memcpy(g.words[k], bytes, length);
      g.lengths[k] = (uint32_t)length;
      g.count = k + 1;
    }
  }
  // A keyword gate without keywords (or with one of a single byte) would skip wrongly: never set so.
  g.mode = (uint8_t)((mode == GATE_KEYWORDS || mode == GATE_BARE) && (count == 0 || !build_shift(&g)) ? GATE_ALWAYS : mode);
  pthread_mutex_lock(&sc->lock);
  bool known = id < sc->loggers;
  Gate old = sc->gates[id];
  if (known) sc->gates[id] = g;
  pthread_mutex_unlock(&sc->lock);
  gate_free(known ? &old : &g);
  if (!known) {
    napi_throw_range_error(env, NULL, "setGate: unknown logger id");
    return NULL;
  }
  return NULL;
}

void kafka_scan_register(napi_env env, napi_value exports) {
  kafka_scan_init_tables();
  napi_property_descriptor props[] = {
    {"createKafkaScanner", NULL, create_kafka_scanner, NULL, NULL, NULL, napi_default, NULL},
    {"scanKafka", NULL, scan_kafka, NULL, NULL, NULL, napi_default, NULL},
    {"scanKafkaAsync", NULL, scan_kafka_async, NULL, NULL, NULL, napi_default, NULL},
    {"setKafkaGate", NULL, set_gate, NULL, NULL, NULL, napi_default, NULL},
    {"setKafkaWindow", NULL, set_window, NULL, NULL, NULL, napi_default, NULL},
    {"createZooKeeperScanner", NULL, create_zookeeper_scanner, NULL, NULL, NULL, napi_default, NULL},
    {"scanZooKeeper", NULL, scan_zookeeper, NULL, NULL, NULL, napi_default, NULL},
    {"scanZooKeeperAsync", NULL, scan_zookeeper_async, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}
