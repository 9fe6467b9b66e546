// Library entry: the pure pipeline, for scripts and tests.
export { buildTimeline } from './read/build.js';
export { CATALOGUE, Classifier, defaultClassifier } from './catalogue/index.js';
export { Zone } from './time/zone.js';
export * from './model/timeline.js';
