import { SURVEY_INDICATOR_LABELS, type SurveyIndicator } from '@pingan/core';

/** What the survey pages share: status colours and the indicator choices. */
export const STATUS_COLOR: Record<'draft' | 'open' | 'closed', string> = { draft: 'default', open: 'green', closed: 'blue' };

export const INDICATOR_IDS = Object.keys(SURVEY_INDICATOR_LABELS).filter((k) => k !== 'two_rates_one_degree') as SurveyIndicator[];

export const indicatorName = (id: string | null | undefined, pick: (l: { zh: string; en: string } | undefined) => string) =>
  id ? pick(SURVEY_INDICATOR_LABELS[id as SurveyIndicator]) || id : '—';

/** Saves a downloaded file (the invitation codes' Excel). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
