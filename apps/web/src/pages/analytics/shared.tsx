import type { ReactNode } from 'react';
import { Button, Card, Tag } from 'antd';
import { useI18n, type MessageKey } from '../../locales';

/** A share 0…1 as a percentage; — when there is none. */
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** An indicator value: shares (≤ 1) as percentages, scores and counts as they are. */
export const indicatorValue = (v: number) => (Math.abs(v) <= 1 ? pct(v) : String(Math.round(v * 100) / 100));

const KNOWN_INDICATORS = [
  'participation',
  'prevention_coverage',
  'legal_team_satisfaction',
  'public_safety_feeling',
  'pass_rate',
  'coverage',
  'awareness',
  'two_rates_one_degree',
  'inspection_score',
  'incidents',
  'satisfaction',
] as const;

/** An indicator's name in the reader's language (its id when unknown). */
export function useIndicatorLabel() {
  const { t } = useI18n();
  return (id: string) => ((KNOWN_INDICATORS as readonly string[]).includes(id) ? t(`analytics.ind.${id}` as MessageKey) : id);
}

/** The Excel download of a table. */
export function ExcelButton({ href, testId }: { href: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Button size="small" href={href} data-testid={testId}>
      {t('analytics.excel')}
    </Button>
  );
}

/** A card with a title and an Excel button. */
export function TableCard({ title, excel, children }: { title: ReactNode; excel?: { href: string; testId: string }; children: ReactNode }) {
  return (
    <Card size="small" title={title} extra={excel && <ExcelButton {...excel} />} style={{ marginTop: 16 }}>
      {children}
    </Card>
  );
}

const SOURCE_COLOR: Record<string, string> = { computed: 'blue', survey: 'green', import: 'purple', manual: 'orange' };

/** Where a figure came from: 系统计算, 问卷, 导入, 手工录入. */
export function SourceTag({ source }: { source: string }) {
  const { t } = useI18n();
  const known = ['computed', 'survey', 'import', 'manual'].includes(source);
  return <Tag color={SOURCE_COLOR[source]}>{known ? t(`analytics.source.${source}` as MessageKey) : source}</Tag>;
}
