import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PASSWORD_PROFILES,
  characterClasses,
  parsePasswordList,
  passwordExpired,
  passwordExpiresAt,
  passwordProblems,
  passwordRules,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const common = parsePasswordList(fs.readFileSync(path.join(here, '../data/common-passwords.txt'), 'utf8'));
const ctx = { username: 'zhang.san', common };

describe('the common-password list', () => {
  it('is a real list of thousands, lower case, with the top passwords of ≥ 12 characters that ASVS asks for', () => {
    expect(common.size).toBeGreaterThan(9000);
    expect([...common].filter((p) => [...p].length >= 12).length).toBeGreaterThanOrEqual(3000);
    for (const p of ['password', '12345678', 'qwertyuiop', 'iloveyou', '1qaz2wsx', 'woaini1314', 'password1234', 'qwertyuiop123'])
      expect(common.has(p), p).toBe(true);
    expect([...common].every((p) => p === p.toLowerCase() && p.trim() === p && !p.startsWith('#'))).toBe(true);
  });
});

describe('等保 profile (dengbao)', () => {
  const problems = (p: string) => passwordProblems('dengbao', p, ctx);
  it('needs 8 characters from 3 of the 4 classes', () => {
    expect(problems('Yunzhou#2027')).toEqual([]);
    expect(problems('Ab1$')).toEqual(['密码至少8位']);
    expect(problems('abcdefgh1')).toEqual(['密码须包含大写字母、小写字母、数字、符号中的至少三类']);
    expect(problems('abcdefgh')).toHaveLength(1);
    expect(problems('ABCdef12')).toEqual([]);
    expect(problems('abc def 1')).toEqual([]); // a space is a symbol
  });
  it('does not refuse common passwords (that is the ASVS profile) but refuses the username', () => {
    expect(problems('Password1!')).toEqual([]);
    expect(problems('Zhang.San2027')).toEqual(['密码不能包含用户名']);
    expect(passwordProblems('dengbao', 'Zhang.San', { username: 'zhang.san' })).toContain('密码不能与用户名相同');
  });
  it('expires 90 days after the password was set', () => {
    const set = new Date('2026-01-01T00:00:00Z');
    expect(passwordExpiresAt('dengbao', set)?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(passwordExpired('dengbao', set, new Date('2026-03-31T23:59:59Z'))).toBe(false);
    expect(passwordExpired('dengbao', set, new Date('2026-04-01T00:00:00Z'))).toBe(true);
  });
});

describe('ASVS 5.0 profile (asvs)', () => {
  const problems = (p: string) => passwordProblems('asvs', p, ctx);
  it('needs 12 characters, allows at least 64 and any characters, and has no composition rule', () => {
    expect(problems('correct horse battery')).toEqual([]);
    expect(problems('云州市平安创建的口令很长哦')).toEqual([]);
    expect(problems('x'.repeat(11))).toEqual(['密码至少12位']);
    expect(problems('alllowercaseletters')).toEqual([]);
    const long = 'Ab1!'.repeat(16) + '😀平安';
    expect([...long].length).toBe(67);
    expect(problems(long)).toEqual([]);
    expect(problems('y'.repeat(129))).toEqual(['密码不能超过128位']);
  });
  it('refuses a common password whatever its case, and the username', () => {
    expect(problems('qwertyuiop123')).toEqual(['该密码过于常见，容易被猜中，请换一个']);
    expect(problems('QwertyUIOP123')).toEqual(['该密码过于常见，容易被猜中，请换一个']);
    expect(problems('my zhang.san passphrase')).toEqual(['密码不能包含用户名']);
  });
  it('never expires', () => {
    expect(passwordExpiresAt('asvs', new Date(0))).toBeNull();
    expect(passwordExpired('asvs', new Date(0), new Date())).toBe(false);
  });
  it('cannot be checked without the list', () => {
    expect(() => passwordProblems('asvs', 'whatever long enough', { username: 'u' })).toThrow();
  });
});

describe('properties', () => {
  it('a password both profiles accept is ≥ 12 characters, 3 classes, not common, without the username', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 40 }), (p) => {
        const both = passwordProblems('dengbao', p, ctx).length === 0 && passwordProblems('asvs', p, ctx).length === 0;
        if (both) {
          expect([...p].length).toBeGreaterThanOrEqual(12);
          expect(characterClasses(p)).toBeGreaterThanOrEqual(3);
          expect(common.has(p.toLowerCase())).toBe(false);
          expect(p.toLowerCase()).not.toContain('zhang.san');
        }
      }),
    );
  });
  it('every profile explains its rules', () => {
    expect(passwordRules('dengbao').join('')).toContain('90天');
    expect(passwordRules('asvs').join('')).toContain('常见密码');
    expect(PASSWORD_PROFILES.asvs.maxLength).toBeGreaterThanOrEqual(64);
  });
});
