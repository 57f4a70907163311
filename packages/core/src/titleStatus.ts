/**
 * A title's live status, as the public page and the certificate check show it.
 *
 * Stored: `valid`, `suspended` (黄牌警告: an incident or a failed check holds the title in doubt)
 * or `revoked` (已撤销). Expiry is not stored: a title past its `validUntil` day reads 已到期.
 * The sources name yearly rounds (000: 每年年底…评选; 002: 被评为二〇二〇年度) but no period of
 * validity; the platform's default is the award year and the year after (through 31 December),
 * so a title holds until the next round has named its successors. A campaign may set another.
 */
export const TITLE_STATUSES_STORED = ['valid', 'suspended', 'revoked'] as const;
export type TitleStatusStored = (typeof TITLE_STATUSES_STORED)[number];

export const PUBLIC_TITLE_STATUSES = ['valid', 'yellow', 'revoked', 'expired'] as const;
export type PublicTitleStatus = (typeof PUBLIC_TITLE_STATUSES)[number];

export const PUBLIC_TITLE_STATUS_LABELS: Record<PublicTitleStatus, { zh: string; en: string }> = {
  valid: { zh: '有效', en: 'Valid' },
  yellow: { zh: '黄牌警告', en: 'Yellow card' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  expired: { zh: '已到期', en: 'Expired' },
};

/** Default years a title holds counting the award year: 2 = the award year and the next. */
export const DEFAULT_TITLE_VALID_YEARS = 2;

/** The last day a title of `year` holds: 31 December of year + validYears − 1. */
export function titleValidUntil(year: number, validYears = DEFAULT_TITLE_VALID_YEARS): string {
  return `${year + validYears - 1}-12-31`;
}

/**
 * What the public sees on `today` (YYYY-MM-DD). Revoked wins over everything; a suspended title
 * shows its yellow card; a title past its last day (inclusive: the last day still holds) is expired.
 */
export function publicTitleStatus(t: { status: TitleStatusStored; validUntil: string | null }, today: string): PublicTitleStatus {
  if (t.status === 'revoked') return 'revoked';
  if (t.status === 'suspended') return 'yellow';
  if (t.validUntil && today > t.validUntil) return 'expired';
  return 'valid';
}
