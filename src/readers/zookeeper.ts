import { parseNaiveTimestamp } from '../time/timestamp.js';
import type { Layout, RecordStart } from './assembler.js';

// `%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n` (3.4 → 3.9), the
// legacy form without `[myid:]`, Log4j 2's `T` separator, and logback's
// abbreviated classes (`o.a.z.s.q.QuorumPeer@1455`). The thread may hold `:`,
// `/`, brackets and spaces, so the class is the first `:Class@N]` after it.
const AFTER_TIME = /^ (?:\[myid:(\d*)\] )?- (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) *\[(.*?):([\w.$]+)@(\d+)\](?:\[[^\]]*\])? - ?(.*)$/;
const LOOSE = /^ (?:\[myid:(\d*)\] )?-? ?(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\s+(.*)$/;
const DIGIT_DATE = /^\d{4}-\d\d-\d\d[ T]/;

export const zookeeperLayout: Layout = {
  name: 'zookeeper-native',
  parseStart(line: string): RecordStart | 'bad-timestamp' | undefined {
    const c0 = line.charCodeAt(0);
    if (c0 < 48 || c0 > 57) return undefined;
    if (!DIGIT_DATE.test(line)) return undefined;
    const naiveTime = parseNaiveTimestamp(line, 0);
    if (Number.isNaN(naiveTime)) return 'bad-timestamp';
    const rest = line.slice(23);
    const m = AFTER_TIME.exec(rest);
    if (m) {
      return {
        naiveTime, myid: m[1], level: m[2]!, thread: m[3]!, logger: m[4]!, message: m[6]!,
      } as RecordStart;
    }
    const loose = LOOSE.exec(rest);
    if (loose) {
      return { naiveTime, level: loose[2]!, logger: '', message: loose[3]!, ...(loose[1] !== undefined && { myid: loose[1] }) };
    }
    return { naiveTime, level: '', logger: '', message: rest.trim() };
  },
  roleOf: () => 'zookeeper',
};
