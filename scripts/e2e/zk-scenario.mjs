#!/usr/bin/env node
// End-to-end fault scenario against a real ZooKeeper ensemble (Debian's
// `zookeeper` package), for test/e2e. It starts three servers on 127.0.0.1,
// three "brokers" (scripts/e2e/BrokerSession.java: a ZooKeeper session holding
// the ephemeral znode /brokers/ids/N), injects faults, and writes down when it
// did what, in wall-clock epoch ms, next to the logs the servers wrote:
//
//   OUT/logs/zk-N/zookeeper.log   each server's log4j 1.2 log, native layout, UTC
//   OUT/ground-truth.json         what was done when (schema kforensics-e2e/ground-truth/v1)
//   OUT/scenario.log              this script's own narration
//   OUT/{conf,data,classes,stdout}/  configs, data dirs, compiled client, JVM stdout
//
// Faults, in order, a few seconds apart:
//   client-kill    kill -9 broker 3's client: its session really expires; restarted
//   follower-kill  kill -9 a follower; restarted
//   leader-kill    kill -9 the leader; restarted
//   two-kill       kill -9 both followers at once: quorum lost; both restarted
//   leader-freeze  SIGSTOP the leader for longer than syncLimit×tickTime and the
//                  session timeout, then SIGCONT: the others elect a new leader, and
//                  the woken leader may log "Expiring session" for live sessions
//
// Usage:
//   node scripts/e2e/zk-scenario.mjs --out DIR     run the scenario (about 2 minutes)
//   node scripts/e2e/zk-scenario.mjs --check       print {"ok":…,"reason":…} as JSON
//
// Only 127.0.0.1 is used. Every child runs in its own process group; all are
// killed when this script ends, however it ends, and their pids are kept in
// OUT/pids.json so a parent can kill them if this script itself is killed -9.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- settings

export const SETTINGS = {
  tickTimeMs: 500,
  initLimit: 10,
  syncLimit: 3, // followers give up on a silent leader after 1.5 s
  sessionTimeoutMs: 4000,
  downMs: 6000, // how long a killed server stays down
  freezeMs: 8000, // SIGSTOP length: > syncLimit×tickTime and > the session timeout
  gapMs: 4000, // quiet time between faults
};

// Debian's jars (KF_E2E_JAR_DIR overrides the folder; KF_E2E_ZK_CLASSPATH the whole class path).
const JAR_DIR = process.env.KF_E2E_JAR_DIR ?? '/usr/share/java';
const DEBIAN_JARS = {
  zookeeper: join(JAR_DIR, 'zookeeper.jar'), // libzookeeper-java; its manifest Class-Path brings slf4j-api, netty, jute …
  slf4jLog4j12: join(JAR_DIR, 'slf4j-log4j12.jar'), // libslf4j-java: the slf4j → log4j 1.2 binding
  log4j12: join(JAR_DIR, 'log4j-1.2.jar'), // liblog4j1.2-java
};

/** The native ZooKeeper layout (upstream conf/log4j.properties and logback.xml). */
const LAYOUT = '%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n';

function classpath() {
  return process.env.KF_E2E_ZK_CLASSPATH ?? [DEBIAN_JARS.zookeeper, DEBIAN_JARS.slf4jLog4j12, DEBIAN_JARS.log4j12].join(':');
}

/** Whether this machine can run the scenario; reason says what is missing. */
export function check() {
  if (!process.env.KF_E2E_ZK_CLASSPATH) {
    if (!existsSync(DEBIAN_JARS.zookeeper)) {
      return { ok: false, reason: `ZooKeeper not installed (apt-get install zookeeper): no ${DEBIAN_JARS.zookeeper}` };
    }
    const missing = [DEBIAN_JARS.slf4jLog4j12, DEBIAN_JARS.log4j12].filter((p) => !existsSync(p));
    if (missing.length > 0) {
      return { ok: false, reason: `ZooKeeper cannot log to files without ${missing.join(' and ')} (apt-get install libslf4j-java liblog4j1.2-java)` };
    }
  }
  for (const tool of ['java', 'javac']) {
    const r = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (r.error || r.status !== 0) return { ok: false, reason: `${tool} not found (apt-get install default-jdk-headless)` };
  }
  return { ok: true, reason: null, classpath: classpath() };
}

// ---------------------------------------------------------------- small tools

/** How often the harness asks `srvr` while it waits (each ask is one INFO line in the server's log). */
const POLL_MS = 250;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let narration = null;
function say(msg) {
  const line = `${new Date().toISOString()} ${msg}`;
  if (narration) appendFileSync(narration, line + '\n');
  if (!process.env.KF_E2E_QUIET) process.stderr.write(`[zk-scenario] ${line}\n`);
}

async function waitFor(what, timeoutMs, fn, everyMs = POLL_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** ZooKeeper four-letter word over 127.0.0.1; null when no answer in time. */
function fourLetter(port, word = 'srvr', timeoutMs = 700) {
  return new Promise((res) => {
    let out = '';
    let done = false;
    const finish = (v) => { if (!done) { done = true; sock.destroy(); res(v); } };
    const sock = net.createConnection({ host: '127.0.0.1', port });
    sock.setEncoding('utf8');
    sock.setTimeout(timeoutMs, () => finish(null));
    sock.on('connect', () => sock.write(word));
    sock.on('data', (d) => { out += d; });
    sock.on('end', () => finish(out));
    sock.on('error', () => finish(null));
  });
}

function portFree(port) {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.once('error', () => res(false));
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => srv.close(() => res(true)));
  });
}

/** Nine ports: client base+1..3, quorum base+11..13, election base+21..23. */
async function pickPorts() {
  const bases = process.env.KF_E2E_PORT_BASE ? [Number(process.env.KF_E2E_PORT_BASE)] : [22100, 22400, 22700, 23100, 23400];
  for (const base of bases) {
    const ports = [1, 2, 3].map((i) => ({ client: base + i, quorum: base + 10 + i, election: base + 20 + i }));
    const all = ports.flatMap((p) => [p.client, p.quorum, p.election]);
    const free = await Promise.all(all.map(portFree));
    if (free.every(Boolean)) return ports;
  }
  throw new Error(`no free port block on 127.0.0.1 among bases ${bases.join(', ')}`);
}

const TS = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) /;

/** The lines of a native-layout log written in UTC, with their epoch ms. */
export function readLog(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').map((text, i) => {
    const m = TS.exec(text);
    const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : null;
    return { line: i + 1, t, text };
  });
}

// ---------------------------------------------------------------- processes

const children = new Map(); // pid -> { name, child }
let pidsFile = null;

function savePids() {
  if (!pidsFile) return;
  writeFileSync(pidsFile, JSON.stringify([...children.keys()]));
}

function spawnGroup(name, cmd, args, opts) {
  const out = openSync(opts.stdoutFile, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  if (!child.pid) throw new Error(`could not start ${name}`);
  children.set(child.pid, { name, child });
  savePids();
  child.on('exit', () => { children.delete(child.pid); savePids(); });
  return child;
}

function killGroup(pid, signal = 'SIGKILL') {
  try { process.kill(-pid, signal); } catch { /* gone */ }
}

function killAll() {
  for (const pid of [...children.keys()]) {
    killGroup(pid, 'SIGCONT');
    killGroup(pid, 'SIGKILL');
  }
}

// ---------------------------------------------------------------- the ensemble

class Ensemble {
  constructor(out, ports) {
    this.out = out;
    this.ports = ports;
    this.cp = classpath();
    this.servers = new Map(); // myid -> child
    this.brokers = new Map(); // broker id -> { child, events: [] }
  }

  logFile(id) { return join(this.out, 'logs', `zk-${id}`, 'zookeeper.log'); }

  writeConfigs() {
    const { tickTimeMs, initLimit, syncLimit } = SETTINGS;
    mkdirSync(join(this.out, 'conf'), { recursive: true });
    writeFileSync(join(this.out, 'conf', 'log4j.properties'), [
      '# Written by scripts/e2e/zk-scenario.mjs: one file per server, native ZooKeeper layout.',
      'log4j.rootLogger=INFO, FILE',
      'log4j.appender.FILE=org.apache.log4j.FileAppender',
      'log4j.appender.FILE.File=${zookeeper.log.dir}/${zookeeper.log.file}',
      'log4j.appender.FILE.Append=true',
      'log4j.appender.FILE.ImmediateFlush=true',
      'log4j.appender.FILE.layout=org.apache.log4j.PatternLayout',
      `log4j.appender.FILE.layout.ConversionPattern=${LAYOUT}`,
      '',
    ].join('\n'));
    // The broker clients log to their own files outside logs/, so that logs/ holds
    // exactly what a ZooKeeper operator would collect from the three servers.
    writeFileSync(join(this.out, 'conf', 'log4j-client.properties'), [
      'log4j.rootLogger=INFO, FILE',
      'log4j.appender.FILE=org.apache.log4j.FileAppender',
      'log4j.appender.FILE.File=${kf.client.log}',
      'log4j.appender.FILE.Append=true',
      'log4j.appender.FILE.layout=org.apache.log4j.PatternLayout',
      `log4j.appender.FILE.layout.ConversionPattern=${LAYOUT}`,
      '',
    ].join('\n'));
    for (const id of [1, 2, 3]) {
      const p = this.ports[id - 1];
      const data = join(this.out, 'data', `zk-${id}`);
      mkdirSync(data, { recursive: true });
      mkdirSync(join(this.out, 'logs', `zk-${id}`), { recursive: true });
      writeFileSync(join(data, 'myid'), `${id}\n`);
      writeFileSync(join(this.out, 'conf', `zk-${id}.cfg`), [
        `tickTime=${tickTimeMs}`,
        `initLimit=${initLimit}`,
        `syncLimit=${syncLimit}`,
        `dataDir=${data}`,
        `clientPort=${p.client}`,
        'clientPortAddress=127.0.0.1',
        '4lw.commands.whitelist=srvr,stat,ruok',
        'admin.enableServer=false',
        'standaloneEnabled=false',
        ...this.ports.map((q, i) => `server.${i + 1}=127.0.0.1:${q.quorum}:${q.election}`),
        '',
      ].join('\n'));
    }
  }

  startServer(id) {
    const child = spawnGroup(`zk-${id}`, 'java', [
      '-Xmx160m', '-XX:+UseSerialGC', '-Xshare:auto',
      '-Duser.timezone=UTC',
      `-Dzookeeper.log.dir=${join(this.out, 'logs', `zk-${id}`)}`,
      '-Dzookeeper.log.file=zookeeper.log',
      `-Dlog4j.configuration=file:${join(this.out, 'conf', 'log4j.properties')}`,
      '-cp', this.cp,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      join(this.out, 'conf', `zk-${id}.cfg`),
    ], { cwd: this.out, env: { ...process.env, TZ: 'UTC' }, stdoutFile: join(this.out, 'stdout', `zk-${id}.out`) });
    this.servers.set(id, child);
    return child;
  }

  pid(id) { return this.servers.get(id)?.pid; }

  signal(id, sig) {
    const pid = this.pid(id);
    if (!pid) throw new Error(`zk-${id} is not running`);
    process.kill(pid, sig);
  }

  async kill9(id) {
    const child = this.servers.get(id);
    const at = Date.now();
    this.signal(id, 'SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    this.servers.delete(id);
    return at;
  }

  /** Mode per server from `srvr`: 'leader', 'follower', 'not-serving' or null (no answer). */
  async modes() {
    const answers = await Promise.all([1, 2, 3].map((id) => fourLetter(this.ports[id - 1].client)));
    return answers.map((a) => {
      if (a === null) return null;
      const m = /Mode: (\w+)/.exec(a);
      return m ? m[1] : 'not-serving';
    });
  }

  async leader() {
    const modes = await this.modes();
    const leaders = modes.flatMap((m, i) => (m === 'leader' ? [i + 1] : []));
    return leaders.length === 1 ? leaders[0] : null;
  }

  /** Waits until the given servers all serve and one of them leads; returns { leader, at }. */
  /**
   * Waits until the given servers all serve, exactly one of them leads and no
   * other server claims to lead (a leader woken from SIGSTOP says "leader" for
   * a moment); returns { leader, at }.
   */
  async waitServing(ids, timeoutMs, what = `${ids.map((i) => `zk-${i}`).join(', ')} serving`) {
    return waitFor(what, timeoutMs, async () => {
      const modes = await this.modes();
      const ok = ids.every((id) => modes[id - 1] === 'leader' || modes[id - 1] === 'follower');
      const leaders = modes.flatMap((m, i) => (m === 'leader' ? [i + 1] : []));
      return ok && leaders.length === 1 && ids.includes(leaders[0]) ? { leader: leaders[0], at: Date.now() } : null;
    });
  }

  /** First line of zk-id's log at or after `since` whose text matches re. */
  firstLine(id, since, re) {
    return readLog(this.logFile(id)).find((l) => l.t !== null && l.t >= since && re.test(l.text)) ?? null;
  }

  /** Time of zk-id's first " - FOLLOWING" / " - LEADING" state line at or after `since`. */
  recoveredLine(id, since) {
    return this.firstLine(id, since, / - (FOLLOWING|LEADING)$/);
  }

  compileClient() {
    const classes = join(this.out, 'classes');
    mkdirSync(classes, { recursive: true });
    const r = spawnSync('javac', ['-nowarn', '-cp', this.cp, '-d', classes, join(HERE, 'BrokerSession.java')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`javac failed: ${r.stderr || r.error}`);
  }

  connectString() { return this.ports.map((p) => `127.0.0.1:${p.client}`).join(','); }

  startBroker(id) {
    const state = this.brokers.get(id) ?? { events: [], child: null };
    this.brokers.set(id, state);
    const stdoutFile = join(this.out, 'stdout', `broker-${id}.out`);
    const child = spawnGroup(`broker-${id}`, 'java', [
      '-Xmx64m', '-XX:+UseSerialGC', '-Duser.timezone=UTC',
      `-Dlog4j.configuration=file:${join(this.out, 'conf', 'log4j-client.properties')}`,
      `-Dkf.client.log=${join(this.out, 'stdout', `broker-${id}.log`)}`,
      '-cp', `${this.cp}:${join(this.out, 'classes')}`,
      'BrokerSession', this.connectString(), String(id), String(SETTINGS.sessionTimeoutMs),
    ], { cwd: this.out, env: { ...process.env, TZ: 'UTC' }, stdoutFile });
    state.child = child;
    return child;
  }

  /** Every JSON event broker `id`'s clients have printed so far (all incarnations). */
  brokerEvents(id) {
    const file = join(this.out, 'stdout', `broker-${id}.out`);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }

  async waitRegistered(id, since, timeoutMs = 20_000) {
    return waitFor(`broker ${id} registered`, timeoutMs, () =>
      this.brokerEvents(id).find((e) => e.event === 'registered' && e.t >= since) ?? null);
  }

  async killBroker(id) {
    const state = this.brokers.get(id);
    const at = Date.now();
    process.kill(state.child.pid, 'SIGKILL');
    await new Promise((r) => (state.child.exitCode !== null || state.child.signalCode !== null ? r() : state.child.once('exit', r)));
    return at;
  }
}

// ---------------------------------------------------------------- the scenario

export async function runScenario(out) {
  out = resolve(out);
  for (const d of ['logs', 'stdout']) mkdirSync(join(out, d), { recursive: true });
  narration = join(out, 'scenario.log');
  pidsFile = join(out, 'pids.json');
  const { tickTimeMs, syncLimit, sessionTimeoutMs, downMs, freezeMs, gapMs } = SETTINGS;
  const t0 = Date.now();
  const ports = await pickPorts();
  const ens = new Ensemble(out, ports);
  const truth = {
    schema: 'kforensics-e2e/ground-truth/v1',
    note: 'All times are wall-clock epoch ms (and ISO UTC beside them) recorded by scripts/e2e/zk-scenario.mjs when it acted or observed.',
    zookeeperVersion: null,
    loggingBackend: 'log4j 1.2.17 via slf4j-log4j12 (Debian liblog4j1.2-java + libslf4j-java)',
    layout: LAYOUT,
    timeZone: 'UTC',
    settings: { ...SETTINGS },
    logDir: 'logs',
    nodes: [1, 2, 3].map((id) => ({
      myid: id, name: `zk-${id}`, log: `logs/zk-${id}/zookeeper.log`, ...ports[id - 1], host: '127.0.0.1',
    })),
    startedAt: t0,
    ensembleUpAt: null,
    initialLeader: null,
    brokers: [],
    faults: [],
    teardownAt: null,
  };
  const iso = (t) => (t == null ? null : new Date(t).toISOString());
  const fault = (f) => { truth.faults.push(f); return f; };
  const save = () => {
    const withIso = JSON.parse(JSON.stringify(truth, (k, v) => v));
    for (const f of withIso.faults) {
      for (const k of Object.keys(f)) if (k.endsWith('At') && typeof f[k] === 'number') f[`${k}Iso`] = iso(f[k]);
    }
    writeFileSync(join(out, 'ground-truth.json'), JSON.stringify(withIso, null, 2) + '\n');
  };

  ens.writeConfigs();
  say(`ports: ${JSON.stringify(ports)}`);
  for (const id of [1, 2, 3]) ens.startServer(id);
  ens.compileClient();
  const up = await ens.waitServing([1, 2, 3], 60_000, 'the ensemble to form');
  truth.ensembleUpAt = up.at;
  truth.initialLeader = `zk-${up.leader}`;
  truth.zookeeperVersion = /Zookeeper version: ([^\s,]+)/.exec((await fourLetter(ports[0].client)) ?? '')?.[1] ?? null;
  say(`ensemble up, leader zk-${up.leader}, version ${truth.zookeeperVersion}`);

  for (const b of [1, 2, 3]) ens.startBroker(b);
  for (const b of [1, 2, 3]) {
    const e = await ens.waitRegistered(b, t0);
    say(`broker ${b} registered /brokers/ids/${b} with session ${e.session}`);
  }
  save();
  await sleep(gapMs);

  // 1. A broker's client dies: its session really expires on the leader.
  {
    const leader = await ens.leader();
    const victim = 3;
    const session = ens.brokerEvents(victim).filter((e) => e.event === 'registered').at(-1).session;
    const f = fault({ id: 'client-kill', kind: 'kill-client', broker: victim, session, leader: `zk-${leader}`, at: null });
    f.at = await ens.killBroker(victim);
    say(`client-kill: kill -9 broker ${victim}'s client (session ${session})`);
    const re = new RegExp(`Expiring session ${session},`);
    const line = await waitFor(`the expiry of ${session}`, sessionTimeoutMs + 15_000, () =>
      [1, 2, 3].map((id) => ({ id, l: ens.firstLine(id, f.at, re) })).find((x) => x.l) ?? null, 200);
    f.expiredAt = line.l.t;
    f.expiredOn = `zk-${line.id}`;
    say(`client-kill: zk-${line.id} logged the expiry at ${iso(line.l.t)}`);
    f.restartAt = Date.now();
    ens.startBroker(victim);
    const reg = await ens.waitRegistered(victim, f.restartAt);
    f.newSession = reg.session;
    f.reregisteredAt = reg.t;
    say(`client-kill: broker ${victim} registered again with session ${reg.session}`);
    save();
  }
  await sleep(gapMs);

  // 2. and 3. kill -9 a follower, then the leader; each restarted after downMs.
  for (const role of ['follower', 'leader']) {
    const modes = await ens.modes();
    const leader = modes.indexOf('leader') + 1;
    const target = role === 'leader' ? leader : [1, 2, 3].find((id) => modes[id - 1] === 'follower');
    if (!target || leader < 1) throw new Error(`no ${role} to kill: modes ${modes}`);
    const f = fault({ id: `${role}-kill`, kind: 'kill-9', role, targets: [`zk-${target}`], leaderBefore: `zk-${leader}` });
    f.at = await ens.kill9(target);
    say(`${role}-kill: kill -9 zk-${target}`);
    const others = [1, 2, 3].filter((id) => id !== target);
    const after = await ens.waitServing(others, 30_000, `zk-${others.join(', zk-')} to serve without zk-${target}`);
    f.leaderAfter = `zk-${after.leader}`;
    f.othersServingAt = after.at;
    await sleep(Math.max(0, f.at + downMs - Date.now()));
    f.restartAt = Date.now();
    ens.startServer(target);
    say(`${role}-kill: restarted zk-${target}`);
    const back = await ens.waitServing([1, 2, 3], 40_000, `zk-${target} to rejoin`);
    f.servingAt = back.at;
    f.recoveredAt = ens.recoveredLine(target, f.restartAt)?.t ?? null;
    f.leaderAtEnd = `zk-${back.leader}`;
    say(`${role}-kill: zk-${target} serving again (log says ${iso(f.recoveredAt)})`);
    save();
    await sleep(gapMs);
  }

  // 4. kill -9 two of three: both followers; the leader is left alone and loses quorum.
  {
    const modes = await ens.modes();
    const leader = modes.indexOf('leader') + 1;
    const targets = [1, 2, 3].filter((id) => id !== leader);
    const f = fault({ id: 'two-kill', kind: 'kill-9', role: 'two-followers', targets: targets.map((t) => `zk-${t}`), survivor: `zk-${leader}`, leaderBefore: `zk-${leader}` });
    const [a, b] = await Promise.all(targets.map((t) => ens.kill9(t)));
    f.at = Math.min(a, b);
    f.atEach = { [`zk-${targets[0]}`]: a, [`zk-${targets[1]}`]: b };
    say(`two-kill: kill -9 zk-${targets.join(' and zk-')}; zk-${leader} is alone`);
    f.survivorLookingAt = (await waitFor(`zk-${leader} to stop serving`, 15_000, async () =>
      ((await ens.modes())[leader - 1] === 'not-serving' ? Date.now() : null))) ?? null;
    f.survivorLookingLine = ens.firstLine(leader, f.at, / - LOOKING$/)?.t ?? null;
    await sleep(Math.max(0, f.at + downMs - Date.now()));
    f.restartAt = Date.now();
    for (const t of targets) ens.startServer(t);
    say('two-kill: restarted both');
    const back = await ens.waitServing([1, 2, 3], 40_000, 'the quorum to come back');
    f.servingAt = back.at;
    f.leaderAfter = `zk-${back.leader}`;
    f.recoveredEach = Object.fromEntries([1, 2, 3].map((id) => [`zk-${id}`, ens.recoveredLine(id, f.restartAt)?.t ?? null]));
    const leadLine = ens.recoveredLine(back.leader, f.restartAt);
    f.recoveredAt = leadLine?.t ?? null; // the new leader's LEADING line: the quorum is back from about here
    // The quorum is back when the new leader has a quorum of followers behind it.
    f.quorumRestoredAt = ens.firstLine(back.leader, f.restartAt, /Have quorum of supporters/)?.t ?? f.servingAt;
    say(`two-kill: quorum back, leader zk-${back.leader}`);
    save();
    await sleep(gapMs);
  }

  // 5. SIGSTOP the leader for longer than syncLimit×tickTime and the session timeout.
  {
    const leader = await waitFor('a leader', 10_000, () => ens.leader());
    const f = fault({ id: 'leader-freeze', kind: 'sigstop', role: 'leader', targets: [`zk-${leader}`], leaderBefore: `zk-${leader}` });
    f.at = Date.now();
    ens.signal(leader, 'SIGSTOP');
    say(`leader-freeze: SIGSTOP zk-${leader}`);
    const others = [1, 2, 3].filter((id) => id !== leader);
    const after = await ens.waitServing(others, Math.max(20_000, freezeMs), 'a new leader while the old one is frozen');
    f.newLeader = `zk-${after.leader}`;
    f.newLeaderServingAt = after.at;
    f.newLeaderLine = ens.firstLine(after.leader, f.at, / - LEADING$/)?.t ?? null;
    f.followersGaveUpAt = Math.min(...others.map((id) => ens.firstLine(id, f.at, / - LOOKING$/)?.t ?? Infinity));
    if (!Number.isFinite(f.followersGaveUpAt)) f.followersGaveUpAt = null;
    say(`leader-freeze: zk-${after.leader} leads now`);
    await sleep(Math.max(0, f.at + freezeMs - Date.now()));
    f.contAt = Date.now();
    ens.signal(leader, 'SIGCONT');
    say(`leader-freeze: SIGCONT zk-${leader}`);
    f.restartAt = f.contAt; // for uniform handling: the moment it could run again
    const back = await ens.waitServing([1, 2, 3], 40_000, `zk-${leader} to rejoin after the freeze`);
    f.servingAt = back.at;
    f.recoveredAt = ens.recoveredLine(leader, f.contAt)?.t ?? null;
    f.leaderAtEnd = `zk-${back.leader}`;
    await sleep(1500); // let the woken server finish what it logs about its stale state
    // What the woken leader logged about sessions: if it says "Expiring session" for a
    // session whose client never saw it expire, that is the false alarm the tool must
    // recognise.
    const expiries = readLog(ens.logFile(leader))
      .filter((l) => l.t !== null && l.t >= f.contAt && /Expiring session (0x[0-9a-f]+)/.test(l.text))
      .map((l) => ({ session: /Expiring session (0x[0-9a-f]+)/.exec(l.text)[1], t: l.t, line: l.line }));
    const reallyExpired = new Set([1, 2, 3].flatMap((b) => ens.brokerEvents(b).filter((e) => e.event === 'expired').map((e) => e.session)));
    f.staleExpiries = expiries.map((e) => ({ ...e, reallyExpired: reallyExpired.has(e.session) }));
    say(`leader-freeze: zk-${leader} rejoined; it logged ${expiries.length} expiries after waking`);
    save();
  }
  await sleep(2000);

  truth.brokers = [1, 2, 3].map((b) => {
    const ev = ens.brokerEvents(b);
    return {
      id: b,
      znode: `/brokers/ids/${b}`,
      sessions: ev.filter((e) => e.event === 'registered').map((e) => ({
        session: e.session,
        registeredAt: e.t,
        expiredAt: ev.find((x) => x.event === 'expired' && x.session === e.session)?.t ?? null,
      })),
      events: ev,
    };
  });
  // The killed client never saw its own expiry; the server's log did.
  const ck = truth.faults.find((f) => f.id === 'client-kill');
  for (const s of truth.brokers.flatMap((b) => b.sessions)) {
    if (ck && s.session === ck.session) { s.expiredAt = ck.expiredAt; s.expiredSeenIn = `${ck.expiredOn} log (client killed)`; }
  }
  truth.teardownAt = Date.now();
  save();
  say('teardown');
  killAll();
  truth.endedAt = Date.now();
  truth.runMs = truth.endedAt - t0;
  save();
  say(`done in ${(truth.runMs / 1000).toFixed(1)} s`);
  return truth;
}

// ---------------------------------------------------------------- CLI

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    process.stdout.write(JSON.stringify(check()) + '\n');
    process.exit(0);
  }
  const outIdx = args.indexOf('--out');
  if (outIdx < 0 || !args[outIdx + 1]) {
    process.stderr.write('usage: node scripts/e2e/zk-scenario.mjs --out DIR | --check\n');
    process.exit(2);
  }
  const c = check();
  if (!c.ok) {
    process.stderr.write(`zk-scenario: ${c.reason}\n`);
    process.exit(3);
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { say(`caught ${sig}: cleaning up`); killAll(); process.exit(130); });
  }
  process.on('exit', killAll);
  // Orphaned (the test runner died without cleaning up)? Then stop at once.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) { say('parent process gone: cleaning up'); killAll(); process.exit(5); }
  }, 1000).unref();
  process.stderr.on('error', () => { /* the reader went away: keep going, narration is in scenario.log */ });
  // A hard ceiling, so a wedged run can never outlive its welcome.
  const ceiling = setTimeout(() => { say('ceiling reached (4 min): giving up'); killAll(); process.exit(4); }, 240_000);
  ceiling.unref();
  runScenario(args[outIdx + 1]).then(
    () => { killAll(); process.exit(0); },
    (err) => { say(`FAILED: ${err?.stack ?? err}`); killAll(); process.exit(1); },
  );
}
