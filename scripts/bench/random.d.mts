/** Types of random.mjs for the tests that draw from it. */
export function seeded(seed?: number): () => number;
export function log4jTime(t: number): string;
export const UNITS: { K: number; M: number; G: number };
export function parseSize(text: string): number;
