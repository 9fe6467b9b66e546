// A ZooKeeper server log in the native layout: client connections and
// four-letter-word traffic, with quorum incidents among them.
import { log4jTime, seeded } from './random.mjs';
import { writeUntil } from './write-lines.mjs';

export const EVENT_PATTERNS = ['Expiring session', 'GOODBYE', 'Connection broken for id', 'Cannot open channel to'];

export async function writeZookeeperLog(path, bytes, seed = 7) {
  const rand = seeded(seed);
  const pick = (n) => Math.floor(rand() * n);
  let t = Date.UTC(2024, 1, 23, 0, 0, 0);
  const truth = { lines: 0, records: 0, events: 0 };
  const head = (level, thread, cls) => `${log4jTime(t)} [myid:1] - ${level.padEnd(5)} [${thread}:${cls}] - `;
  const routine = [
    () => `${head('INFO', `NIOWorkerThread-${pick(8)}`, 'NIOServerCnxn@517')}Processing srvr command from /10.0.0.${pick(250)}:${40000 + pick(20000)}`,
    () => `${head('INFO', 'NIOServerCxnFactory.AcceptThread:0.0.0.0/0.0.0.0:2181', 'NIOServerCnxnFactory$AcceptThread@296')}Accepted socket connection from /10.0.0.${pick(250)}:${40000 + pick(20000)}`,
    () => `${head('INFO', 'CommitProcessor:1', 'LearnerSessionTracker@116')}Committing global session 0x${(0x100000a1b2c0000 + pick(5000)).toString(16)}`,
    () => `${head('INFO', 'SyncThread:1', 'FileTxnLog@284')}Creating new log file: log.${(0x300000000 + pick(1e6)).toString(16)}`,
  ];
  const events = [
    () => `${head('INFO', 'SessionTracker', 'ZooKeeperServer@610')}Expiring session 0x${(0x100000a1b2c0000 + pick(5000)).toString(16)}, timeout of 18000ms exceeded`,
    () => `${head('WARN', 'LearnerHandler-/10.0.0.12:48012', 'LearnerHandler@737')}******* GOODBYE /10.0.0.12:48012 ********`,
    () => `${head('WARN', 'RecvWorker:2', 'QuorumCnxManager$RecvWorker@1395')}Connection broken for id 2, my id = 1`,
    () => `${head('WARN', 'QuorumConnectionThread-[myid=1]-2', 'QuorumCnxManager@401')}Cannot open channel to 3 at election address /10.0.0.13:3888`,
  ];
  const written = await writeUntil(path, bytes, () => {
    let chunk = '';
    for (let i = 0; i < 2000; i++) {
      t += pick(60);
      truth.records++;
      if (rand() < 0.003) {
        chunk += `${events[pick(events.length)]()}\n`;
        truth.events++;
      } else {
        chunk += `${routine[pick(routine.length)]()}\n`;
      }
    }
    return chunk;
  });
  truth.lines = truth.records;
  return { bytes: written, ...truth };
}
