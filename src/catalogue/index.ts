import { checkRules, type Rule } from './schema.js';
import { Classifier } from './classify.js';
import { KAFKA_RULES } from './rules/kafka.js';
import { ZOOKEEPER_RULES } from './rules/zookeeper.js';

/** The built-in catalogue, in match order (the first matching rule wins). */
export const CATALOGUE: readonly Rule[] = [...ZOOKEEPER_RULES, ...KAFKA_RULES];
checkRules(CATALOGUE);

let shared: Classifier | undefined;
export function defaultClassifier(): Classifier {
  shared ??= new Classifier(CATALOGUE);
  return shared;
}

export type { Rule } from './schema.js';
export { Classifier } from './classify.js';
