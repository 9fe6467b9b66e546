import { Command, Flags } from '@oclif/core';
import { CATALOGUE } from '../catalogue/index.js';
import { CATEGORIES, type Rule } from '../catalogue/schema.js';
import { LIST, knownValues } from '../cli/common.js';
import type { RuleDocJson, RulesDocJson } from '../model/catalogue.js';
import { renderRulesTable } from '../report/rules-table.js';

export function ruleDoc(r: Rule): RuleDocJson {
  return {
    rule: r.id,
    title: r.title,
    category: r.category,
    severity: r.severity,
    appliesTo: [...r.appliesTo],
    loggers: [...r.loggers],
    keyword: r.keyword === undefined ? null : typeof r.keyword === 'string' ? r.keyword : [...r.keyword],
    pattern: r.pattern.source,
    withCause: r.withCause ?? false,
    fields: { ...r.fields },
    effect: r.effect ? { ...r.effect } as Record<string, string> : null,
    samples: [...r.samples],
  };
}

export default class RulesCommand extends Command {
  static override summary = 'The catalogue: every rule that classifies a log line, with its category, severity and what it means for outage windows.';
  static override description = `Rules are tried in this order; the first that matches a record classifies it. Each rule is tried only on records of the loggers it names and of the processes it applies to. Their ids are what --rule takes and what events and evidence name. --json adds each rule's pattern, keyword, fields and sample lines (schema/rules.v1.json).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --category isr,leadership',
    '<%= config.bin %> <%= command.id %> --json | jq -r \'.rules[] | select(.effect) | .rule\'',
  ];

  static override enableJsonFlag = true;
  static override flags = {
    category: Flags.string({ description: `only rules of these categories: ${CATEGORIES.join(', ')}`, ...LIST }),
  };

  async run(): Promise<RulesDocJson | void> {
    const { flags } = await this.parse(RulesCommand);
    knownValues(this, 'category', flags.category, CATEGORIES, { one: 'category', many: 'categories' });
    const rules = CATALOGUE.filter((r) => !flags.category || flags.category.includes(r.category));
    if (this.jsonEnabled()) {
      const { RulesDocSchema } = await import('../model/catalogue.js');
      return RulesDocSchema.parse({ schema: 'kforensics/rules/v1', rules: rules.map(ruleDoc) });
    }
    this.log(renderRulesTable(rules.map(ruleDoc)));
    this.log(`${rules.length} rule(s)${flags.category ? ` of ${CATALOGUE.length}` : ''}; kforensics explain FILE:LINE says which one a line matched, or which came closest.`);
  }
}
