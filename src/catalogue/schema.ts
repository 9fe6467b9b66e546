import type { NodeKind, Severity } from '../model/record.js';

export const CATEGORIES = [
  'lifecycle', 'zk-session', 'zk-quorum', 'replication', 'isr', 'leadership',
  'controller', 'network', 'truncation', 'storage', 'group',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * What an event means for outage windows. The window engine
 * (src/windows/engine.ts) interprets these signals; rules only say which
 * signal a line is and which of its fields name the thing concerned.
 */
export type Effect =
  /** The broker says it is stopping (graceful shutdown). */
  | { signal: 'broker-stopping' }
  /** The broker process is starting: a restart after a silence is a crash. */
  | { signal: 'broker-starting' }
  /** The broker is serving again. */
  | { signal: 'broker-started' }
  /** A broker (id in `field`) became the controller (ZooKeeper mode). */
  | { signal: 'controller-elected'; field: string }
  /** The controller saw brokers leave (ids in `field`). */
  | { signal: 'brokers-lost'; field: string }
  /** The controller saw brokers (re-)register (ids in `field`). */
  | { signal: 'brokers-joined'; field: string }
  /** A broker's ZooKeeper session id, from the broker's side (`field`), with the negotiated `timeout` (ms). */
  | { signal: 'session-established'; field: string; timeout?: string }
  /** A ZooKeeper server expired the session in `field` after `timeout` ms without hearing from it. */
  | { signal: 'session-expired'; field: string; timeout?: string }
  /**
   * A ZooKeeper server saw the client of the session in `field` close its
   * socket: for a broker's own session, its process died (the kernel closes
   * a killed process's sockets) or it left, within milliseconds.
   */
  | { signal: 'session-closed'; field: string }
  /**
   * The broker itself lost ZooKeeper (timeout, no route): it may be isolated,
   * or it was frozen. `idle`: the "have not heard from server in N ms" figure,
   * which dates the last contact. `answered`: the server answered (it said
   * the session had expired — a client learns that only on reaching a
   * server again): the session is lost, but the network was back.
   */
  | { signal: 'zk-contact-lost'; idle?: string; answered?: true }
  /**
   * A broker's ZooKeeper client is starting a session with the servers in
   * `servers` (a connect string): each connection attempt waits up to the
   * session timeout divided by their number.
   */
  | { signal: 'zk-client-servers'; servers: string }
  /**
   * A broker's ZooKeeper client lost its connection to one server (it will
   * try the others; the session may well survive): the last contact with
   * ZooKeeper came at or before this line.
   */
  | { signal: 'zk-dropped' }
  /** A ZooKeeper server cannot open a connection to the peer whose id is in `field`. */
  | { signal: 'zk-peer-unreachable'; field: string }
  /** An established quorum connection to the peer whose id is in `field` broke. */
  | { signal: 'zk-peer-lost'; field: string }
  /**
   * This server reached the peer whose id is in `field` (a higher id) and
   * closed that connection so that the peer connects back, as ZooKeeper has
   * the higher id of a pair keep the connection it opens: the peer shuts its
   * older connection to this server as it does, so either side's "broken"
   * connection of that moment is the replacement, not a death.
   */
  | { signal: 'zk-peer-handover'; field: string }
  /** A ZooKeeper leader lost a follower (only a leader says this); `field` holds its address or sid. */
  | { signal: 'zk-follower-lost'; field: string }
  /**
   * A leader's handler for one follower failed; `timedOut` filled when it
   * waited out a read timeout (the follower went silent rather than away).
   * The follower is named by the GOODBYE line that follows.
   */
  | { signal: 'zk-learner-error'; timedOut?: string }
  /**
   * A follower lost its leader. `timedOut` (captured from the folded cause)
   * says it waited out a read timeout: the leader had gone silent earlier.
   */
  | { signal: 'zk-leader-lost'; timedOut?: string }
  /** A leader stepped down (not enough followers, shutdown). */
  | { signal: 'zk-leader-stepped-down' }
  /** A ZooKeeper server's detailed state: `state` (leading, following) and its `zab` phase; a leader in `broadcast` is serving. */
  | { signal: 'zk-zab-state'; state: string; zab: string }
  /** A ZooKeeper server process is starting (its first lines: a restart, not a thaw). */
  | { signal: 'zk-starting' }
  /** A ZooKeeper server changed state; the state is in `field`. */
  | { signal: 'zk-state'; field: string }
  /** A partition has no leader (partitions in `field`). */
  | { signal: 'partition-offline'; field: string }
  /** A partition has a leader again (partitions in `field`; the new leader's id in `leader`). */
  | { signal: 'partition-online'; field: string; leader?: string }
  /**
   * The controller states a partition's leader, leader epoch and ISR (the
   * UpdateMetadata it sends at every change): `partition`, `leader` (-1: none),
   * `isr`, optional `replicas`.
   */
  | { signal: 'partition-state'; partition: string; leader: string; isr: string; replicas?: string }
  /** The controller took the replica of broker `replica` of `partition` offline (its broker died). */
  | { signal: 'replica-offline'; partition: string; replica: string }
  /** ISR changed for `partition`, from `from` (optional) to `to`; `underMinIsr` filled when the line says it is below min.insync.replicas. */
  | { signal: 'isr-change'; partition: string; from?: string; to: string; underMinIsr?: string }
  /** A replica truncated its log (`partition`, `offset`, optional `highWatermark`). */
  | { signal: 'truncation'; partition: string; offset: string; highWatermark?: string }
  /** An I/O error on a log directory (it goes offline with it); the dir in `dir` when the line names it. */
  | { signal: 'storage-error'; dir?: string }
  /** The broker stopped serving the log directory in `dir` (its replicas there are gone until a restart). */
  | { signal: 'log-dir-offline'; dir: string }
  /** A KRaft controller fenced the brokers whose ids are in `field` (they are out of the cluster). */
  | { signal: 'broker-fenced'; field: string }
  /** A fenced KRaft broker (id in `field`) was let back in. */
  | { signal: 'broker-unfenced'; field: string }
  /**
   * The KRaft controller quorum has a leader: the node whose id is in
   * `leader` leads at the epoch in `epoch`. A `leader` that is not an id
   * (`(none)`) says the quorum has no leader at that epoch.
   */
  | { signal: 'raft-leader'; leader: string; epoch: string }
  /** The reporting node has no KRaft quorum leader at the epoch in `epoch` (it is electing one). */
  | { signal: 'raft-leaderless'; epoch: string };

/** How a named capture becomes a field value. */
export type FieldType = 'string' | 'int' | 'partitions' | 'ids';

/**
 * One event rule. Rules are data: adding an event kind is one entry in a
 * rules file plus its sample lines, which the catalogue test checks.
 */
export interface Rule {
  /** Dotted `<source>.<area>.<event>`, stable: scripts and windows key on it. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly severity: Severity;
  /** Which processes print it. */
  readonly appliesTo: readonly NodeKind[];
  /**
   * Loggers (Kafka layout) or classes (ZooKeeper layout) that print it, full or
   * simple (`kafka.server.ReplicaFetcherManager` or `ReplicaFetcherManager`).
   * The rule is never tried on a record from another logger. `*` means any
   * logger and then needs a `keyword`.
   */
  readonly loggers: readonly string[];
  /**
   * A literal the text must contain before the pattern is tried (or a list:
   * one of them). Every alternative of the pattern must contain it: the
   * readers skip a record whose message holds none of its rules' keywords
   * without decoding it.
   */
  readonly keyword?: string | readonly string[];
  /** Tried on the message; named groups become fields. */
  readonly pattern: RegExp;
  /** Also match against the first folded line (an exception that carries the fact). */
  readonly withCause?: boolean;
  readonly fields?: Readonly<Record<string, FieldType>>;
  /** Real lines (from the seeds or the message catalogue) that must match this rule. */
  readonly samples: readonly string[];
  /** What the event means for outage windows, if anything. */
  readonly effect?: Effect;
  /**
   * The line proves a log lost records (gap's lost writes): the partition in
   * field `partition` removed its records from the offset in field `from` on;
   * `committedTo` names a field holding the high watermark when the records
   * below it had been committed; `requires` names a field without which the
   * line proves nothing (a variant of the rule that removes nothing).
   */
  readonly removes?: { readonly partition: string; readonly from: string; readonly committedTo?: string; readonly requires?: string };
}

// Checked at every start (the catalogue is data): by hand, so a run does not
// load a schema library for it.
const RULE_ID = /^[a-z0-9]+(\.[a-z0-9-]+)+$/;
const SEVERITY_NAMES: readonly string[] = ['debug', 'info', 'warn', 'error', 'critical'];
const NODE_KINDS: readonly string[] = ['kafka-broker', 'zookeeper'];
const FIELD_TYPES: readonly string[] = ['string', 'int', 'partitions', 'ids'];

const isText = (v: unknown, min = 1): boolean => typeof v === 'string' && v.length >= min;
const isList = (v: unknown, each: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length > 0 && v.every(each);

/** What is wrong with a rule's shape, or undefined. */
function ruleProblem(r: Rule): string | undefined {
  const problems: [boolean, string][] = [
    [typeof r.id === 'string' && RULE_ID.test(r.id), 'id: dotted lower-case words'],
    [isText(r.title, 3), 'title: at least 3 characters'],
    [(CATEGORIES as readonly string[]).includes(r.category), `category: one of ${CATEGORIES.join(', ')}`],
    [SEVERITY_NAMES.includes(r.severity), `severity: one of ${SEVERITY_NAMES.join(', ')}`],
    [isList(r.appliesTo, (k) => NODE_KINDS.includes(k as string)), 'appliesTo: kafka-broker and/or zookeeper'],
    [isList(r.loggers, (l) => isText(l)), 'loggers: a non-empty list of names'],
    [r.keyword === undefined || isText(r.keyword, 3) || isList(r.keyword, (k) => isText(k, 3)), 'keyword: a literal of 3+ characters, or a list of them'],
    [r.pattern instanceof RegExp, 'pattern: a RegExp'],
    [r.withCause === undefined || typeof r.withCause === 'boolean', 'withCause: a boolean'],
    [r.fields === undefined || Object.values(r.fields).every((t) => FIELD_TYPES.includes(t)), `fields: types among ${FIELD_TYPES.join(', ')}`],
    [isList(r.samples, (x) => typeof x === 'string'), 'samples: a non-empty list of lines'],
    [r.effect === undefined || isText(r.effect.signal), 'effect: an object with a signal'],
    [!r.loggers?.includes('*') || r.keyword !== undefined, 'a rule for any logger (*) needs a keyword'],
  ];
  const wrong = problems.filter(([ok]) => !ok).map(([, what]) => what);
  return wrong.length > 0 ? wrong.join('; ') : undefined;
}

/** Validates rule tables once, at load, with the rule id in the message. */
export function checkRules(rules: readonly Rule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    const problem = ruleProblem(rule);
    if (problem) throw new Error(`Catalogue rule ${rule.id ?? '(no id)'} is malformed: ${problem}`);
    if (seen.has(rule.id)) throw new Error(`Catalogue rule id ${rule.id} is used twice`);
    for (const [key, value] of Object.entries(rule.removes ?? {})) {
      if (!new RegExp(`\\(\\?<${value}>`).test(rule.pattern.source)) throw new Error(`Catalogue rule ${rule.id}: removes.${key} names field "${value}", which its pattern does not capture`);
    }
    for (const [key, value] of Object.entries(rule.effect ?? {})) {
      // Strings name captured fields; other values (flags) are facts about the rule.
      if (key !== 'signal' && typeof value === 'string' && !new RegExp(`\\(\\?<${value}>`).test(rule.pattern.source)) {
        throw new Error(`Catalogue rule ${rule.id}: effect.${key} names field "${value}", which its pattern does not capture`);
      }
    }
    seen.add(rule.id);
  }
}
