import { colour as ansis } from '../cli/colour.js';
import type { ExplainJson } from '../model/catalogue.js';
import { effectText } from './rules-table.js';

const MARK = '▏';

function row(label: string, value: string): string {
  return `  ${label.padEnd(10)}${value.split('\n').join(`\n  ${' '.repeat(10)}`)}`;
}

function fieldsText(fields: Record<string, unknown>): string {
  const list = Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return list.length > 0 ? list.join('  ') : '(none)';
}


/** `kforensics explain` for a person: the line's reader, record, rule or nearest rule, one fact a row. */
export function renderExplain(doc: ExplainJson): string {
  const lines = [`${doc.file}:${doc.line}`];
  lines.push(row('reader', doc.input.reader
    ? `${doc.input.reader} (file sniffed as ${doc.input.kind}${doc.input.node ? `, node ${doc.input.node}` : ''})`
    : `none (${doc.input.kind ?? 'not a kind kforensics reads'})`));
  if (doc.record) {
    const r = doc.record;
    lines.push(row('record', r.lastLine > r.line ? `lines ${r.line}-${r.lastLine} (${r.lastLine - r.line} folded)` : `line ${r.line}`));
    lines.push(row('time', `${r.time} (read as ${doc.timeZone} wall-clock time)`));
    lines.push(row('level', `${r.level} → severity ${r.severity}`));
    lines.push(row('logger', `${r.logger}${r.thread ? `  thread ${r.thread}` : ''}${r.myid !== undefined ? `  myid ${r.myid || '(empty)'}` : ''} (${r.nodeKind})`));
    lines.push(row('message', r.message));
  }
  if (doc.match) {
    const m = doc.match;
    lines.push(row('rule', `${ansis.bold(m.rule)}: ${m.title} (category ${m.category}, severity ${m.severity})`));
    lines.push(row('fields', fieldsText(m.fields)));
    lines.push(row('effect', m.effect ? effectText(m.effect) : 'none (not a window signal)'));
  }
  if (doc.closest) {
    const c = doc.closest;
    lines.push(row('closest', `${ansis.bold(c.rule)}: ${c.title}; stopped at its ${c.stoppedAt} test`));
    lines.push(row('matched', `${c.matched}${ansis.inverse(MARK)}${ansis.dim(c.rest)}`));
    lines.push(row('pattern', `${c.patternMatched}${ansis.inverse(MARK)}${c.patternNext ?? '(the whole pattern matched)'}`));
  }
  lines.push(row('why', doc.why));
  return lines.join('\n');
}
