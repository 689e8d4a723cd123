import { GATEWAY_PROVIDER_IDS, ROLES as SERVER_ROLES } from '@llmlab/core';
import { describe, expect, it } from 'vitest';
import { KEY_PROVIDERS, MAX_TAGS, ROLES, dateOrInstant, emailAddress, positiveInt, scopeValue, tagPair, tokenCount, usdAmount } from './parsers.js';

describe('option parsers', () => {
  it('accepts calendar dates and ISO instants, and rejects impossible ones', () => {
    expect(dateOrInstant('2026-02-28')).toBe('2026-02-28');
    expect(dateOrInstant('2026-11-27T10:00:00Z')).toBe('2026-11-27T10:00:00Z');
    expect(() => dateOrInstant('2026-02-30')).toThrow('"2026-02-30" is not a date');
    expect(() => dateOrInstant('27/11/2026')).toThrow('is not a date');
    expect(() => dateOrInstant('2026-11-27T10:00')).toThrow('is not a date');
  });

  it('reads amounts with a dollar sign or separators, and refuses zero or less', () => {
    expect(usdAmount('$1,000.50')).toBe(1000.5);
    expect(() => usdAmount('0')).toThrow('is not an amount in USD');
    expect(() => usdAmount('ten')).toThrow('is not an amount in USD');
  });

  it('takes whole numbers only for days and tokens', () => {
    expect(positiveInt('7')).toBe(7);
    expect(() => positiveInt('0')).toThrow();
    expect(() => positiveInt('1.5')).toThrow();
    expect(tokenCount('0')).toBe(0);
    expect(() => tokenCount('-1')).toThrow('is not a token count');
  });

  it('takes an email address, trimmed, and refuses what cannot be one', () => {
    expect(emailAddress(' ana@example.com ')).toBe('ana@example.com');
    expect(() => emailAddress('ana')).toThrow('"ana" is not an email address');
    expect(() => emailAddress('ana@example')).toThrow('is not an email address');
  });

  it('collects repeated --tag key=value pairs, trimmed, and refuses a pair without key, value or =', () => {
    expect(tagPair(' team = search ', { env: 'prod' })).toEqual({ env: 'prod', team: 'search' });
    expect(tagPair('url=a=b')).toEqual({ url: 'a=b' });
    for (const bad of ['team', '=search', 'team=', ' = ']) expect(() => tagPair(bad)).toThrow(`"${bad}" is not a tag`);
    expect(() => tagPair('team=b', { team: 'a' })).toThrow('Tag "team" is given twice');
    expect(tagPair('toString=x')).toEqual({ toString: 'x' });
    const full = Object.fromEntries(Array.from({ length: MAX_TAGS }, (_, i) => [`k${i}`, 'v']));
    expect(() => tagPair('one=more', full)).toThrow('at most 10 tags');
  });

  it('takes a scope value of 1 to 200 characters, trimmed', () => {
    expect(scopeValue(' customer-a ')).toBe('customer-a');
    expect(() => scopeValue(' ')).toThrow('is not a value to count');
    expect(() => scopeValue('x'.repeat(201))).toThrow('is not a value to count');
  });

  it('knows the roles (highest first) and the gateway providers the server knows', () => {
    expect(ROLES).toEqual(SERVER_ROLES);
    expect(KEY_PROVIDERS).toEqual(GATEWAY_PROVIDER_IDS);
  });
});
