import { Rate } from 'antd';
import { useT } from '../locales';

/** Stars 0–5 as a disabled Rate, with the number for screen readers and tests. */
export default function Stars({ value, size = 14, testId }: { value: number | null | undefined; size?: number; testId?: string }) {
  const t = useT();
  if (value == null) return <span className="muted">—</span>;
  return (
    <span data-testid={testId} data-stars={value} title={t('common.stars', { n: value })} style={{ whiteSpace: 'nowrap' }}>
      <Rate disabled count={5} value={value} style={{ fontSize: size, color: '#d4a017' }} />
    </span>
  );
}
