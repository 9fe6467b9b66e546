import { describe, expect, it } from 'vitest';

describe('test environment', () => {
  it('runs in a non-UTC process zone, so missing conversions show', () => {
    expect(process.env.TZ).toBe('America/Sao_Paulo');
    expect(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset()).toBe(180);
  });
});
