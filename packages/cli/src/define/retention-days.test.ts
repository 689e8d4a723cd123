import { MAX_RETENTION_DAYS as SERVER_MAX } from '@llmlab/core';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { MAX_RETENTION_DAYS, retentionDays } from './parsers.js';

describe('retentionDays', () => {
  it('takes whole days from 1 to the server maximum, and off or forever for no limit', () => {
    expect(MAX_RETENTION_DAYS).toBe(SERVER_MAX);
    expect(retentionDays('30')).toBe(30);
    expect(retentionDays(' 1 ')).toBe(1);
    expect(retentionDays(String(SERVER_MAX))).toBe(SERVER_MAX);
    expect(retentionDays('off')).toBeNull();
    expect(retentionDays('Forever')).toBeNull();
  });

  it.each(['0', '-1', '3651', '1.5', '30d', '', 'never'])('refuses %j with what it takes', (value) => {
    expect(() => retentionDays(value)).toThrow(InvalidArgumentError);
    expect(() => retentionDays(value)).toThrow(`"${value}" is not a retention; give a number of days from 1 to 3650, or off to keep raw events forever.`);
  });
});
