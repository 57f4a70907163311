/**
 * Password rules, in two profiles the security administrator chooses between:
 *
 * - 'dengbao' (等保 2.0, GB/T 22239 L3 practice): at least 8 characters from at least 3 of the 4
 *   classes (lower case, upper case, digits, others); expires 90 days after it was set; an account
 *   made or reset by an administrator must change it at its first login.
 * - 'asvs' (OWASP ASVS 5.0, V6.2): at least 12 characters, at least 64 allowed, any characters (no
 *   composition rules), refused when it is a common password; no forced expiry.
 *
 * Both refuse a password equal to or containing the username. Pure: the list of common passwords
 * is handed in (the server reads packages/core/data/common-passwords.txt once).
 */

export const PASSWORD_PROFILE_NAMES = ['dengbao', 'asvs'] as const;
export type PasswordProfileName = (typeof PASSWORD_PROFILE_NAMES)[number];

export interface PasswordProfile {
  name: PasswordProfileName;
  /** in characters (Unicode code points) */
  minLength: number;
  maxLength: number;
  /** of lower case, upper case, digits, others; 0 = no composition rule */
  minClasses: number;
  /** days after which a password must be changed; null = never */
  expiryDays: number | null;
  /** refused when in the list of common passwords */
  refuseCommon: boolean;
}

export const PASSWORD_PROFILES: Record<PasswordProfileName, PasswordProfile> = {
  dengbao: { name: 'dengbao', minLength: 8, maxLength: 128, minClasses: 3, expiryDays: 90, refuseCommon: false },
  asvs: { name: 'asvs', minLength: 12, maxLength: 128, minClasses: 0, expiryDays: null, refuseCommon: true },
};

const CLASS_COUNT = ['零', '一', '二', '三', '四'];
const classRule = (n: number) => `须包含大写字母、小写字母、数字、符号中的至少${CLASS_COUNT[n]}类`;

/** How many of the four classes a password uses: lower case, upper case, digits, anything else. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
}

/** Length in characters as a person counts them (code points, so 中文 and emoji count once each). */
export function passwordLength(password: string): number {
  return [...password].length;
}

/** The rules of a profile as short Chinese lines, for the page that asks for a new password. */
export function passwordRules(name: PasswordProfileName): string[] {
  const p = PASSWORD_PROFILES[name];
  const rules = [`至少${p.minLength}位，最多${p.maxLength}位（按字符计）`];
  if (p.minClasses > 0) rules.push(classRule(p.minClasses));
  else rules.push('可使用任意字符，包括空格和中文');
  if (p.refuseCommon) rules.push('不能是常见密码');
  rules.push('不能包含用户名');
  if (p.expiryDays) rules.push(`每${p.expiryDays}天须更换一次`);
  return rules;
}

export interface PasswordContext {
  username: string;
  /** lower-case common passwords; needed by a profile that refuses them */
  common?: ReadonlySet<string>;
}

/** Every rule the password breaks, as Chinese sentences; empty when it is acceptable. */
export function passwordProblems(name: PasswordProfileName, password: string, ctx: PasswordContext): string[] {
  const p = PASSWORD_PROFILES[name];
  const problems: string[] = [];
  const len = passwordLength(password);
  if (len < p.minLength) problems.push(`密码至少${p.minLength}位`);
  if (len > p.maxLength) problems.push(`密码不能超过${p.maxLength}位`);
  if (p.minClasses > 0 && characterClasses(password) < p.minClasses) problems.push(`密码${classRule(p.minClasses)}`);
  const lower = password.toLowerCase();
  const user = ctx.username.trim().toLowerCase();
  if (user && lower === user) problems.push('密码不能与用户名相同');
  else if (user.length >= 3 && lower.includes(user)) problems.push('密码不能包含用户名');
  if (p.refuseCommon) {
    if (!ctx.common) throw new Error(`profile ${name} needs the list of common passwords`);
    if (ctx.common.has(lower)) problems.push('该密码过于常见，容易被猜中，请换一个');
  }
  return problems;
}

/** When a password set at `changedAt` expires under the profile; null when it never does. */
export function passwordExpiresAt(name: PasswordProfileName, changedAt: Date): Date | null {
  const days = PASSWORD_PROFILES[name].expiryDays;
  return days === null ? null : new Date(changedAt.getTime() + days * 86_400_000);
}

export function passwordExpired(name: PasswordProfileName, changedAt: Date, now: Date): boolean {
  const at = passwordExpiresAt(name, changedAt);
  return at !== null && at.getTime() <= now.getTime();
}

/** Reads the list format of data/common-passwords.txt: one a line, '#' starts a comment line. */
export function parsePasswordList(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t && !t.startsWith('#')) set.add(t.toLowerCase());
  }
  return set;
}
