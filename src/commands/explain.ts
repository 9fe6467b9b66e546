import { Args, Command } from '@oclif/core';
import { defaultClassifier } from '../catalogue/index.js';
import { nearestRule } from '../catalogue/explain.js';
import { inputFlags, missingArgument, noteDefaultZone, zoneFlag } from '../cli/common.js';
import { severityOfLevel } from '../model/record.js';
import type { ExplainJson } from '../model/catalogue.js';
import { renderExplain } from '../report/explain-table.js';
import { recordAt } from '../read/record-at.js';

const REASONS: Record<string, string> = {
  'no-record-yet': 'it comes before the first record of the file, so there is no record to fold it into',
  'bad-timestamp': 'it is shaped like a record but its timestamp does not parse',
  foreign: "it is another program's output inside the log (SLF4J, nohup, a container entrypoint)",
};

export default class ExplainCommand extends Command {
  static override summary = 'Why one log line was or was not classified: which reader read it, which fields it found, which rule matched and what it means for windows, or the closest rule and where it stopped matching.';
  static override description = `Reads the file the way timeline does (the same sniffing, node identity and layout) up to the record that holds the line; a line folded into a record (a stack trace, a config dump) is explained through that record. For a record no rule classifies, every rule is tried and the one that got furthest is shown: the test it failed (process, logger, keyword, pattern) and, for the pattern, the text it matched up to the point where it stopped.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> logs/node1/server.log:2041',
    '<%= config.bin %> <%= command.id %> logs/zk-1/zookeeper.log:17 --tz Asia/Seoul --json',
  ];

  static override enableJsonFlag = true;
  static override args = { 'file:line': Args.string({ description: 'a line of a log file: its path and line number (from 1), as every file:line kforensics prints', required: true }) };
  static override flags = {
    tz: inputFlags.tz,
    'node-map': inputFlags['node-map'],
  };

  protected override async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(missingArgument(err, 'FILE:LINE, the line to explain, e.g. kforensics explain logs/server.log:120'));
  }

  async run(): Promise<ExplainJson | void> {
    const { args, flags, metadata } = await this.parse(ExplainCommand);
    const m = /^(.+):(\d+)$/.exec(args['file:line']);
    if (!m || Number(m[2]) < 1) this.error(`"${args['file:line']}" is not FILE:LINE. Give a file and a line number from 1, e.g. logs/server.log:120.`, { exit: 2 });
    const [, file, lineText] = m;
    const line = Number(lineText);
    const zone = zoneFlag(this, flags.tz);
    noteDefaultZone(metadata);
    let fate;
    try {
      fate = await recordAt(file!, line, { zone, nodeMap: flags['node-map'] ?? [] });
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    }
    if (fate.fate === 'missing') this.error(`No such file: ${file}. Check the path.`, { exit: 2 });
    if (fate.fate === 'beyond-end') this.error(`${file} has ${fate.lines} line(s); there is no line ${line}.`, { exit: 2 });
    const doc: ExplainJson = {
      schema: 'kforensics/explain/v1', file: file!, line, timeZone: zone.name,
      input: { kind: null, reader: null, node: null }, outcome: 'not-a-log', why: '', record: null, match: null, closest: null,
    };
    if (fate.fate === 'not-a-log') {
      doc.input.kind = fate.kind;
      doc.why = `The file is not read as a log: ${fate.reason}.`;
    } else {
      doc.input = { kind: fate.file.kind, reader: fate.reader, node: fate.family.nodes[fate.family.defaultRole] };
      if (fate.fate === 'unrecognised') {
        doc.outcome = 'unrecognised';
        doc.why = `The line is counted as unrecognised: ${REASONS[fate.reason] ?? fate.reason}.`;
      } else {
        const r = fate.record;
        doc.input.node = fate.node;
        doc.record = {
          line: r.line, lastLine: fate.lastLine, time: zone.format(r.time), level: r.level, severity: severityOfLevel(r.level),
          logger: r.logger, nodeKind: r.role, ...(r.thread !== undefined && { thread: r.thread }), ...(r.myid !== undefined && { myid: r.myid }),
          message: r.message,
        };
        const folded = r.line !== line ? `Line ${line} is folded into the record that starts on line ${r.line}. ` : '';
        const hit = defaultClassifier().classify(r);
        if (hit) {
          doc.outcome = 'classified';
          doc.match = {
            rule: hit.rule.id, title: hit.rule.title, category: hit.rule.category, severity: hit.rule.severity,
            fields: hit.fields, effect: hit.rule.effect ? { ...hit.rule.effect } as Record<string, string> : null,
          };
          doc.why = `${folded}Rule ${hit.rule.id} classifies the record${hit.rule.effect ? `; the window engine reads it as ${hit.rule.effect.signal}` : '; it is not a window signal'}.`;
        } else {
          doc.outcome = 'unclassified';
          const near = nearestRule(defaultClassifier(), r);
          if (near) {
            doc.closest = {
              rule: near.rule.id, title: near.rule.title, stoppedAt: near.stoppedAt, matched: near.matched, rest: near.rest,
              patternMatched: near.patternMatched, patternNext: near.patternNext,
            };
          }
          const stop = near && {
            role: `it is for ${near.rule.appliesTo.join(' and ')} lines, and this record is a ${r.role} line`,
            logger: `it is tried only on lines of ${near.rule.loggers.join(', ')}, and this record's logger is ${r.logger}`,
            keyword: `the message lacks its keyword ${JSON.stringify(near.rule.keyword)}`,
            pattern: 'its pattern stops matching where shown',
          }[near.stoppedAt];
          doc.why = `${folded}No rule classifies the record (it is in the timeline only with --all).${near ? ` Closest: ${near.rule.id}, but ${stop}.` : ''}`;
        }
      }
    }
    if (this.jsonEnabled()) {
      const { ExplainSchema } = await import('../model/catalogue.js');
      return ExplainSchema.parse(doc);
    }
    this.log(renderExplain(doc));
  }
}
