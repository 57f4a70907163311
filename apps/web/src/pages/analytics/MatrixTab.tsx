import { useMemo } from 'react';
import { Card, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { categoryYearsXlsxUrl, getCategoryYears, type CategoryYears } from '../../api/analytics';
import EChart, { type ChartOption } from './EChart';
import { TableCard } from './shared';

type Row = { code: string; name: string } & Record<string, string | number>;

/** 类别×年度: a heatmap of applications per category and year, and the table with titles beside. */
export default function MatrixTab({ regionId }: { regionId: number | undefined }) {
  const { t, lang } = useI18n();
  const m = useAsync(() => getCategoryYears(regionId), [regionId]);
  const data = m.data;
  const nameOf = (c: CategoryYears['categories'][number]) => (lang === 'en-US' && c.nameEn ? c.nameEn : c.name);
  const option = useMemo<ChartOption | null>(() => {
    if (!data?.cells.length) return null;
    const cats = data.categories;
    const max = Math.max(1, ...data.cells.map((c) => c.applications));
    return {
      tooltip: {
        formatter: (p: unknown) => {
          const v = (p as { value: [number, number, number, number] }).value;
          return `${cats[v[1]] ? nameOf(cats[v[1]]!) : ''} ${data.years[v[0]]}<br/>${t('analytics.fig.applications')}: ${v[2]}<br/>${t('analytics.col.titles')}: ${v[3]}`;
        },
      },
      grid: { left: 150, right: 16, top: 16, bottom: 88 },
      xAxis: { type: 'category', data: data.years.map(String), splitArea: { show: true } },
      yAxis: { type: 'category', data: cats.map(nameOf), splitArea: { show: true }, axisLabel: { width: 140, overflow: 'truncate' } },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
      series: [
        {
          type: 'heatmap',
          name: t('analytics.fig.applications'),
          label: { show: true },
          data: data.cells.map((c) => [
            data.years.indexOf(c.year),
            cats.findIndex((x) => x.code === c.categoryCode),
            c.applications,
            c.titles,
          ]),
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, t, lang]);

  const rows: Row[] = (data?.categories ?? []).map((c) => {
    const r: Row = { code: c.code, name: nameOf(c) };
    for (const cell of data!.cells.filter((x) => x.categoryCode === c.code)) r[String(cell.year)] = `${cell.applications} / ${cell.titles}`;
    return r;
  });
  const columns: ColumnsType<Row> = [
    { title: t('analytics.col.category'), dataIndex: 'name', fixed: 'left', width: 140 },
    ...(data?.years ?? []).map((y) => ({ title: String(y), dataIndex: String(y), width: 100, render: (v?: string) => v ?? '—' })),
  ];
  return (
    <div data-testid="matrix">
      {m.error && <ErrorBox error={m.error} onRetry={m.reload} />}
      {!data && m.loading && <Card loading />}
      {data && (
        <TableCard
          title={t('analytics.matrixTitle', { name: data.region.name })}
          excel={{ href: categoryYearsXlsxUrl(data.region.id), testId: 'matrix-excel' }}
        >
          {option && <EChart option={option} height={Math.max(220, 60 + data.categories.length * 48)} testId="matrix-chart" />}
          <div className="muted" style={{ margin: '8px 0' }}>
            {t('analytics.matrixHint')}
          </div>
          <Table<Row> rowKey="code" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 600 }} />
        </TableCard>
      )}
    </div>
  );
}
