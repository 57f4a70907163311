import { useMemo } from 'react';
import { Card, Progress, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { getSurveyProgress, surveysXlsxUrl, type SurveyProgress } from '../../api/analytics';
import EChart, { type ChartOption } from './EChart';
import { TableCard, indicatorValue, useIndicatorLabel } from './shared';

type Row = SurveyProgress['items'][number];

/** 问卷: answers collected against the sampling plan per subregion, and the favourable shares the surveys gave. */
export default function SurveysTab({ regionId, year }: { regionId: number | undefined; year: number }) {
  const { t } = useI18n();
  const label = useIndicatorLabel();
  const s = useAsync(() => getSurveyProgress({ regionId, year }), [regionId, year]);
  const data = s.data;
  const option = useMemo<ChartOption | null>(() => {
    if (!data?.items.length) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 32, right: 24, top: 36, bottom: 24, containLabel: true },
      xAxis: { type: 'category', data: data.items.map((i) => i.region.name), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('analytics.col.target'), data: data.items.map((i) => i.target) },
        { type: 'bar', name: t('analytics.col.responses'), data: data.items.map((i) => i.responses) },
      ],
    };
  }, [data, t]);
  const columns: ColumnsType<Row> = [
    { title: t('analytics.col.region'), key: 'region', width: 120, render: (_, r) => r.region.name },
    { title: t('analytics.col.target'), dataIndex: 'target', width: 90 },
    { title: t('analytics.col.responses'), dataIndex: 'responses', width: 90 },
    {
      title: t('analytics.col.progress'),
      dataIndex: 'progress',
      width: 180,
      render: (p: number | null) => (p === null ? '—' : <Progress percent={Math.round(p * 1000) / 10} size="small" />),
    },
    {
      title: t('analytics.col.favourable'),
      key: 'ind',
      render: (_, r) =>
        r.indicators.length ? (
          <Space size={12} wrap>
            {r.indicators.map((i) => (
              <span key={i.indicator}>
                {label(i.indicator)}：<strong>{indicatorValue(i.value)}</strong>
              </span>
            ))}
          </Space>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];
  return (
    <div data-testid="surveys">
      {s.error && <ErrorBox error={s.error} onRetry={s.reload} />}
      {!data && s.loading && <Card loading />}
      {data && (
        <TableCard
          title={t('analytics.surveysTitle', { name: data.region.name, year: data.year })}
          excel={{ href: surveysXlsxUrl({ regionId: data.region.id, year: data.year }), testId: 'surveys-excel' }}
        >
          {option && <EChart option={option} height={260} testId="surveys-chart" />}
          <Table<Row>
            rowKey={(r) => r.region.id}
            size="small"
            columns={columns}
            dataSource={data.items}
            pagination={false}
            scroll={{ x: 700 }}
          />
        </TableCard>
      )}
    </div>
  );
}
