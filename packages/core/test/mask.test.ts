import { describe, expect, it } from 'vitest';
import { findPersonalNumbers, idCheckDigit, isValidIdNumber, maskIdNumber, maskName, maskPhone } from '../src/mask.js';

describe('masking personal numbers', () => {
  it('keeps a mobile’s first 3 and last 4, a landline’s area code and last 4, an ID number’s first 6 and last 4', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+86 138 1234 1234')).toBe('138****1234');
    expect(maskPhone('0731-88001234')).toBe('0731-****1234');
    expect(maskPhone('010 65123456')).toBe('010-****3456');
    expect(maskPhone('88001234')).toBe('****1234');
    expect(maskPhone('110')).toBe('****');
    expect(maskPhone(null)).toBeNull();
    expect(maskIdNumber('430102199003071234')).toBe('430102********1234');
    expect(maskIdNumber('43010219900307123X')).toBe('430102********123X');
    expect(maskIdNumber('12345')).toBe('*****');
    expect(maskName('王建国家庭', 'household')).toBe('王**家庭');
    expect(maskName('李秀英', 'individual')).toBe('李**');
    expect(maskName('云州市人民医院', 'unit')).toBe('云州市人民医院');
  });

  it('finds clear numbers and not masked ones, hashes or timestamps', () => {
    const text = JSON.stringify({
      a: '13812341234',
      b: '电话0731-88001234转',
      c: '430102199003071234',
      masked: ['138****1234', '0731-****1234', '430102********1234'],
      sha256: 'ab13812341234cd'.padEnd(64, 'e'),
      ms: 1767225600000,
      at: '2026-01-01T00:00:00.000Z',
    });
    expect(findPersonalNumbers(text).map((h) => [h.kind, h.value])).toEqual([
      ['mobile', '13812341234'],
      ['landline', '0731-88001234'],
      ['idNumber', '430102199003071234'],
    ]);
  });

  it('computes the GB 11643 check character', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });
});
