const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 2020 → 二〇二〇 (digit by digit, as years are written on plaques). */
export function yearInChinese(year: number): string {
  if (!Number.isInteger(year) || year < 0) throw new RangeError(`not a year: ${year}`);
  return String(year)
    .split('')
    .map((d) => DIGITS[Number(d)])
    .join('');
}

/** 11 → 十一, 10 → 十, 3 → 三 (months and small counts). */
export function smallNumberInChinese(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`out of range: ${n}`);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/** The line on the plaque: 被评为二〇二〇年度 */
export function awardYearLine(year: number): string {
  return `被评为${yearInChinese(year)}年度`;
}
