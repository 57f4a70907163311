/**
 * Personal data on screen (个人信息脱敏): phone and ID numbers masked for every reader who does not
 * need the full value, names of households and persons masked on public pages. Pure functions.
 */

const MOBILE = /^(?:\+?86[-\s]?)?(1[3-9]\d)(\d{4})(\d{4})$/;
const LANDLINE = /^\(?(0\d{2,3})\)?[-\s]?(\d{7,8})(?:[-\s转#]\d{1,6})?$/;

/**
 * 13812341234 → 138****1234; 0731-88001234 → 0731-****1234 (area code and last 4 kept);
 * anything else keeps at most its last 4 digits.
 */
export function maskPhone(v: string): string;
export function maskPhone(v: string | null | undefined): string | null;
export function maskPhone(v: string | null | undefined): string | null {
  if (v == null) return null;
  const t = v.trim();
  if (!t) return '';
  const compact = t.replace(/\s+/g, '');
  const m = MOBILE.exec(compact);
  if (m) return `${m[1]}****${m[3]}`;
  const l = LANDLINE.exec(t);
  if (l) return `${l[1]}-****${l[2]!.slice(-4)}`;
  const digits = t.replace(/\D/g, '');
  return digits.length >= 7 ? `****${digits.slice(-4)}` : '****';
}

/** 430102199003071234 → 430102********1234: the first 6 (the region) and the last 4 kept. */
export function maskIdNumber(v: string): string;
export function maskIdNumber(v: string | null | undefined): string | null;
export function maskIdNumber(v: string | null | undefined): string | null {
  if (v == null) return null;
  const t = v.trim();
  if (!t) return '';
  if (t.length <= 10) return '*'.repeat(t.length);
  return `${t.slice(0, 6)}${'*'.repeat(t.length - 10)}${t.slice(-4)}`;
}

/** 王建国家庭 → 王**家庭: a household (or person) on a public page shows only its first character. */
export function maskName(name: string, kind: string): string {
  if (kind === 'household') return `${[...name][0] ?? ''}**家庭`;
  if (kind === 'individual') return `${[...name][0] ?? ''}**`;
  return name;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The check character of an 18-digit resident ID number (GB 11643), from its first 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckDigit needs 17 digits');
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(first17[i]), 0);
  return '10X98765432'[sum % 11]!;
}

export function isValidIdNumber(v: string): boolean {
  return /^\d{17}[\dX]$/.test(v) && idCheckDigit(v.slice(0, 17)) === v[17];
}

/** Not part of a longer run of letters or digits (a hash, a timestamp, a longer number). */
const EDGE_L = '(?<![0-9A-Za-z])';
const EDGE_R = '(?![0-9A-Za-z])';

/** Patterns of unmasked personal numbers in text: mobiles, landlines with a 7–8 digit subscriber part, ID numbers. */
export const PERSONAL_NUMBER_PATTERNS = {
  mobile: new RegExp(`${EDGE_L}(?:\\+?86)?1[3-9]\\d{9}${EDGE_R}`, 'g'),
  landline: new RegExp(`${EDGE_L}0\\d{2,3}[-\\s)]?\\d{7,8}${EDGE_R}`, 'g'),
  idNumber: new RegExp(`${EDGE_L}\\d{17}[\\dXx]${EDGE_R}`, 'g'),
} as const;

/** Every unmasked phone or ID number in a text, with its kind: what a leak scan looks for. */
export function findPersonalNumbers(text: string): { kind: keyof typeof PERSONAL_NUMBER_PATTERNS; value: string }[] {
  const out: { kind: keyof typeof PERSONAL_NUMBER_PATTERNS; value: string }[] = [];
  for (const [kind, re] of Object.entries(PERSONAL_NUMBER_PATTERNS) as [keyof typeof PERSONAL_NUMBER_PATTERNS, RegExp][])
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) out.push({ kind, value: m[0] });
  return out;
}
