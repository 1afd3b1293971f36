import { BearerToken } from '@qtp/dashboard';
import { describe, expect, it } from 'vitest';

const TOKEN = 'Zq8-long-enough-token';

describe('BearerToken', () => {
  it('accepts the exact token in a Bearer header, case-insensitive scheme', () => {
    const token = new BearerToken(TOKEN);
    expect(token.matches(`Bearer ${TOKEN}`)).toBe(true);
    expect(token.matches(`bearer ${TOKEN}`)).toBe(true);
  });

  it('refuses anything else', () => {
    const token = new BearerToken(TOKEN);
    for (const header of [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      'Bearer ',
      `Bearer ${TOKEN} extra`,
    ]) {
      expect(token.matches(header), String(header)).toBe(false);
    }
  });

  it('refuses a short or non-printable token without echoing it', () => {
    expect(() => new BearerToken('short')).toThrow(/token: must be at least 16/);
    expect(() => new BearerToken('has a space in the middle')).toThrow(/token/);
    let message = '';
    try {
      new BearerToken('tooShortSecret');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^token: /);
    expect(message).not.toContain('tooShortSecret');
  });
});
