import { Rate } from 'antd';
import type { RatingScheme } from '@pingan/core';
import { useT } from '../locales';

/**
 * Stars 0–5 as a disabled Rate, with the number for screen readers and tests. A title-only
 * standard (scheme 'title': 001, 002) has no stars: nothing is shown for it.
 */
export default function Stars({
  value,
  size = 14,
  testId,
  scheme = 'stars',
}: {
  value: number | null | undefined;
  size?: number;
  testId?: string;
  scheme?: RatingScheme;
}) {
  const t = useT();
  if (scheme === 'title') return null;
  if (value == null) return <span className="muted">—</span>;
  return (
    <span data-testid={testId} data-stars={value} title={t('common.stars', { n: value })} style={{ whiteSpace: 'nowrap' }}>
      <Rate disabled count={5} value={value} style={{ fontSize: size, color: '#d4a017' }} />
    </span>
  );
}
