import { useMemo, useState } from 'react';
import { Card, Empty, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { getRanking, rankingXlsxUrl, type Ranking, type RankingAnswer } from '../../api/analytics';
import EChart, { type ChartOption } from './EChart';
import { TableCard, indicatorValue } from './shared';

type Row = Ranking['rows'][number];
type Pick = RankingAnswer['available'][number];
const keyOf = (a: Pick) => `${a.scopeRegionId}|${a.level}|${a.year}`;

/** 年度排名: the published ranking with its cards (黄牌警告, 一票否决, 取消评先) and a bar chart of the scores. */
export default function RankingTab({ year }: { year: number }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<Pick | null>(null);
  const query = choice ? { scopeRegionId: choice.scopeRegionId, level: choice.level, year: choice.year } : {};
  const r = useAsync(() => getRanking(query), [choice?.scopeRegionId, choice?.level, choice?.year]);
  const ranking = r.data?.ranking ?? null;
  const available = r.data?.available ?? [];
  // the year picker above chooses among the rankings of that year when there is one
  const ofYear = available.filter((a) => a.year === year);
  const option = useMemo<ChartOption | null>(() => {
    if (!ranking) return null;
    const rows = [...ranking.rows].reverse();
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: rows.map((x) => `${x.rank}. ${x.region}`) },
      series: [
        {
          type: 'bar',
          name: t('analytics.col.score'),
          data: rows.map((x) => ({ value: x.score, itemStyle: { color: x.veto ? '#cf1322' : x.yellowCard ? '#faad14' : '#1677ff' } })),
          label: { show: true, position: 'right' },
        },
      ],
    };
  }, [ranking, t]);
  const columns: ColumnsType<Row> = [
    { title: t('analytics.col.rank'), dataIndex: 'rank', width: 70, fixed: 'left' },
    { title: t('analytics.col.region'), dataIndex: 'region', width: 120, fixed: 'left' },
    { title: t('analytics.col.score'), dataIndex: 'score', width: 80 },
    ...(ranking?.components ?? []).map((c) => ({
      title: `${c.label} (${c.weight})`,
      key: c.indicator,
      width: 140,
      render: (_: unknown, row: Row) => {
        const v = row.components.find((x) => x.indicator === c.indicator);
        return v ? `${v.value === null ? '—' : indicatorValue(v.value)} · ${v.points}` : '—';
      },
    })),
    {
      title: t('analytics.col.cards'),
      key: 'cards',
      width: 220,
      render: (_, row) => (
        <Space size={4} wrap>
          {row.yellowCard && <Tag color="gold">{t('analytics.card.yellow')}</Tag>}
          {row.veto && <Tag color="red">{t('analytics.card.veto')}</Tag>}
          {row.ineligible && <Tag color="volcano">{t('analytics.card.ineligible')}</Tag>}
        </Space>
      ),
    },
    { title: t('analytics.col.reasons'), dataIndex: 'reasons', width: 240, render: (v: string[]) => v.join('；') || '—' },
  ];
  return (
    <div data-testid="ranking">
      {r.error && <ErrorBox error={r.error} onRetry={r.reload} />}
      <Space wrap style={{ marginBottom: 8 }}>
        <Select<string>
          style={{ minWidth: 260 }}
          placeholder={t('analytics.pickRanking')}
          value={
            ranking
              ? keyOf({ scopeRegionId: ranking.scopeRegionId, scopeRegionName: '', level: ranking.level, year: ranking.year })
              : undefined
          }
          onChange={(k) => setChoice(available.find((a) => keyOf(a) === k) ?? null)}
          options={(ofYear.length ? ofYear : available).map((a) => ({
            value: keyOf(a),
            label: t('analytics.rankingLabel', {
              region: a.scopeRegionName,
              year: a.year,
              level: t(`analytics.level.${a.level}` as MessageKey),
            }),
          }))}
          data-testid="ranking-pick"
        />
      </Space>
      {!r.data && r.loading && <Card loading />}
      {r.data && !ranking && <Empty description={t('analytics.noRanking')} />}
      {ranking && (
        <TableCard
          title={t('analytics.rankingLabel', {
            region: ranking.scopeRegionName,
            year: ranking.year,
            level: t(`analytics.level.${ranking.level}` as MessageKey),
          })}
          excel={{
            href: rankingXlsxUrl({ scopeRegionId: ranking.scopeRegionId, level: ranking.level, year: ranking.year }),
            testId: 'ranking-excel',
          }}
        >
          {option && <EChart option={option} height={Math.max(200, ranking.rows.length * 36)} testId="ranking-chart" />}
          <Table<Row> rowKey="regionId" size="small" columns={columns} dataSource={ranking.rows} pagination={false} scroll={{ x: 900 }} />
        </TableCard>
      )}
    </div>
  );
}
