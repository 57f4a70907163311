import { useMemo } from 'react';
import { Card, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { getRegionYears, getTrends, regionYearsXlsxUrl, trendsXlsxUrl, type RegionYears, type Trends } from '../../api/analytics';
import EChart, { type ChartOption } from './EChart';
import { SourceTag, TableCard, indicatorValue, pct, useIndicatorLabel } from './shared';

type TrendRow = Trends['items'][number];
type IndicatorRow = RegionYears['indicators'][number];

/** 趋势: applications, titles and pass rate over the years; the region's indicators across years with their sources. */
export default function TrendsTab({ regionId }: { regionId: number | undefined }) {
  const { t } = useI18n();
  const label = useIndicatorLabel();
  const tr = useAsync(() => getTrends(regionId), [regionId]);
  const ry = useAsync(() => getRegionYears(regionId), [regionId]);
  const data = tr.data;
  const option = useMemo<ChartOption | null>(() => {
    if (!data?.items.length) return null;
    const years = data.items.map((r) => String(r.year));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 32, right: 48, top: 36, bottom: 24, containLabel: true },
      xAxis: { type: 'category', data: years },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { type: 'line', name: t('analytics.fig.applications'), data: data.items.map((r) => r.applications) },
        { type: 'line', name: t('analytics.col.titles'), data: data.items.map((r) => r.titles) },
        {
          type: 'line',
          name: t('analytics.fig.passRate'),
          yAxisIndex: 1,
          data: data.items.map((r) => (r.passRate === null ? null : Math.round(r.passRate * 1000) / 10)),
        },
      ],
    };
  }, [data, t]);
  const columns: ColumnsType<TrendRow> = [
    { title: t('analytics.col.year'), dataIndex: 'year', width: 80 },
    { title: t('analytics.fig.applications'), dataIndex: 'applications' },
    { title: t('analytics.col.titles'), dataIndex: 'titles' },
    { title: t('analytics.col.conferred'), dataIndex: 'conferred' },
    { title: t('analytics.col.decided'), dataIndex: 'decided' },
    { title: t('analytics.fig.passRate'), dataIndex: 'passRate', render: (v: number | null) => pct(v) },
  ];
  const years = ry.data?.years ?? [];
  const indColumns: ColumnsType<IndicatorRow> = [
    { title: t('analytics.col.indicator'), dataIndex: 'indicator', width: 160, fixed: 'left', render: (i: string) => label(i) },
    ...years.map((y) => ({
      title: String(y),
      key: String(y),
      width: 150,
      render: (_: unknown, r: IndicatorRow) => {
        const v = r.values.find((x) => x.year === y);
        return v ? (
          <span title={v.sourceRef ?? undefined}>
            {indicatorValue(v.value)} <SourceTag source={v.source} />
          </span>
        ) : (
          '—'
        );
      },
    })),
  ];
  return (
    <div data-testid="trends">
      {tr.error && <ErrorBox error={tr.error} onRetry={tr.reload} />}
      {!data && tr.loading && <Card loading />}
      {data && (
        <TableCard
          title={t('analytics.trendsTitle', { name: data.region.name })}
          excel={{ href: trendsXlsxUrl(data.region.id), testId: 'trends-excel' }}
        >
          {option && <EChart option={option} height={300} testId="trends-chart" />}
          <Table<TrendRow> rowKey="year" size="small" columns={columns} dataSource={data.items} pagination={false} scroll={{ x: 600 }} />
        </TableCard>
      )}
      {ry.error && <ErrorBox error={ry.error} onRetry={ry.reload} />}
      {ry.data && (
        <TableCard
          title={t('analytics.regionYearsTitle', { name: ry.data.region.name })}
          excel={{ href: regionYearsXlsxUrl(ry.data.region.id), testId: 'region-years-excel' }}
        >
          <Table<IndicatorRow>
            rowKey="indicator"
            size="small"
            columns={indColumns}
            dataSource={ry.data.indicators}
            pagination={false}
            scroll={{ x: 160 + years.length * 150 }}
            locale={{ emptyText: t('analytics.noIndicators') }}
          />
        </TableCard>
      )}
    </div>
  );
}
