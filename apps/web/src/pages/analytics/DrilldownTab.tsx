import { useMemo, useState } from 'react';
import { Breadcrumb, Card, Col, Input, Row, Segmented, Statistic, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import {
  drilldownXlsxUrl,
  getDrilldown,
  getUnitHistory,
  listUnits,
  unitHistoryXlsxUrl,
  unitsXlsxUrl,
  type Drilldown,
  type RegionFigures,
  type UnitRow,
} from '../../api/analytics';
import EChart, { type ChartOption } from './EChart';
import { TableCard, pct } from './shared';

const PAGE_SIZE = 20;
type Go = (changes: Record<string, string | number | undefined>) => void;
type Child = Drilldown['children'][number];

/** 区域下钻: region → subregion → its units → a unit's years, by clicking a bar, a row or the breadcrumb. */
export default function DrilldownTab(props: {
  year: number;
  regionId: number | undefined;
  unitId: number | undefined;
  view: 'regions' | 'units';
  page: number;
  q: string;
  go: Go;
}) {
  if (props.unitId) return <UnitHistoryView subjectId={props.unitId} go={props.go} />;
  return <RegionView {...props} />;
}

function RegionView({ year, regionId, view, page, q, go }: Parameters<typeof DrilldownTab>[0]) {
  const { t } = useI18n();
  const d = useAsync(() => getDrilldown({ regionId, year }), [regionId, year]);
  const data = d.data;
  const leaf = data ? !data.region.hasChildren : false;
  const showUnits = leaf || view === 'units';
  const drill = (id: number) => go({ region: id, view: undefined, page: undefined, q: undefined, unit: undefined });

  return (
    <div data-testid="drill">
      {d.error && <ErrorBox error={d.error} onRetry={d.reload} />}
      {data && (
        <>
          <Breadcrumb
            data-testid="drill-breadcrumb"
            style={{ marginBottom: 12 }}
            items={data.breadcrumb.map((b, i) => ({
              title:
                i === data.breadcrumb.length - 1 ? (
                  <strong>{b.name}</strong>
                ) : (
                  <a onClick={() => drill(b.id)} data-testid={`crumb-${b.id}`}>
                    {b.name}
                  </a>
                ),
            }))}
          />
          <FigureCards f={data.figures} />
          {!leaf && (
            <Segmented<'regions' | 'units'>
              style={{ marginTop: 16 }}
              value={showUnits ? 'units' : 'regions'}
              onChange={(v) => go({ view: v === 'units' ? 'units' : undefined, page: undefined })}
              options={[
                { value: 'regions', label: t('analytics.view.regions') },
                { value: 'units', label: <span data-testid="drill-view-units">{t('analytics.view.units')}</span> },
              ]}
            />
          )}
          {showUnits ? (
            <UnitsTable regionId={data.region.id} year={year} page={page} q={q} go={go} />
          ) : (
            <ChildrenView data={data} onDrill={drill} />
          )}
        </>
      )}
      {!data && d.loading && <Card loading />}
    </div>
  );
}

function FigureCards({ f }: { f: RegionFigures }) {
  const { t } = useI18n();
  const items: { key: string; title: string; value: string | number; hint?: string }[] = [
    {
      key: 'subjects',
      title: t('analytics.fig.subjects'),
      value: f.subjects.total,
      hint: t('analytics.fig.subjectsHint', { unit: f.subjects.unit, household: f.subjects.household }),
    },
    { key: 'applications', title: t('analytics.fig.applications'), value: f.applicationsTotal },
    { key: 'titles', title: t('analytics.fig.titles'), value: f.titlesInForce },
    { key: 'coverage', title: t('analytics.fig.coverage'), value: pct(f.coverage), hint: `${f.covered}/${f.subjects.total}` },
    { key: 'passRate', title: t('analytics.fig.passRate'), value: pct(f.passRate), hint: `${f.conferred}/${f.decided}` },
  ];
  return (
    <Row gutter={[12, 12]} data-testid="drill-figures">
      {items.map((i) => (
        <Col key={i.key} xs={12} sm={8} lg={4} flex="auto">
          <Card size="small">
            <Statistic title={i.title} value={i.value} />
            <div className="muted" data-testid={`fig-${i.key}`} data-value={String(i.value)}>
              {i.hint ?? '\u00a0'}
            </div>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function ChildrenView({ data, onDrill }: { data: Drilldown; onDrill: (id: number) => void }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 36, bottom: 28, containLabel: true },
      xAxis: { type: 'category', data: data.children.map((c) => c.region.name), axisLabel: { interval: 0 } },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          type: 'bar',
          name: t('analytics.fig.applications'),
          data: data.children.map((c) => c.figures.applicationsTotal),
          cursor: 'pointer',
        },
        { type: 'bar', name: t('analytics.fig.titles'), data: data.children.map((c) => c.figures.titlesInForce), cursor: 'pointer' },
        {
          type: 'line',
          name: t('analytics.fig.coverage'),
          yAxisIndex: 1,
          data: data.children.map((c) => (c.figures.coverage === null ? null : Math.round(c.figures.coverage * 1000) / 10)),
        },
      ],
    }),
    [data, t],
  );
  const columns: ColumnsType<Child> = [
    { title: t('analytics.col.region'), key: 'name', render: (_, c) => <a data-testid={`drill-row-${c.region.id}`}>{c.region.name}</a> },
    { title: t('analytics.fig.subjects'), key: 'subjects', width: 90, render: (_, c) => c.figures.subjects.total },
    { title: t('analytics.fig.applications'), key: 'apps', width: 90, render: (_, c) => c.figures.applicationsTotal },
    { title: t('analytics.col.conferred'), key: 'conferred', width: 90, render: (_, c) => c.figures.conferred },
    { title: t('analytics.fig.titles'), key: 'titles', width: 100, render: (_, c) => c.figures.titlesInForce },
    { title: t('analytics.fig.coverage'), key: 'coverage', width: 100, render: (_, c) => pct(c.figures.coverage) },
    { title: t('analytics.fig.passRate'), key: 'passRate', width: 100, render: (_, c) => pct(c.figures.passRate) },
  ];
  return (
    <TableCard
      title={t('analytics.children', { name: data.region.name, year: data.year })}
      excel={{ href: drilldownXlsxUrl({ regionId: data.region.id, year: data.year }), testId: 'drill-excel' }}
    >
      <EChart
        option={option}
        height={300}
        onCategoryClick={(i) => {
          const c = data.children[i];
          if (c) onDrill(c.region.id);
        }}
        testId="drill-chart"
      />
      <Table<Child>
        rowKey={(c) => c.region.id}
        size="small"
        columns={columns}
        dataSource={data.children}
        pagination={false}
        scroll={{ x: 680 }}
        rowClassName={() => 'clickable-row'}
        onRow={(c) => ({ onClick: () => onDrill(c.region.id) })}
      />
    </TableCard>
  );
}

function StatusTag({ status }: { status: ApplicationStatus | null }) {
  const { pick } = useI18n();
  if (!status) return <span className="muted">—</span>;
  const color = status === 'conferred' ? 'green' : status === 'rejected' ? 'red' : status === 'returned' ? 'orange' : 'blue';
  return <Tag color={color}>{pick(STATUS_LABELS[status])}</Tag>;
}

function TitleStatusTag({ status }: { status: 'valid' | 'suspended' | 'revoked' | null }) {
  const { t } = useI18n();
  if (!status) return null;
  const color = status === 'valid' ? 'green' : status === 'suspended' ? 'gold' : 'default';
  return <Tag color={color}>{t(`analytics.titleStatus.${status}` as MessageKey)}</Tag>;
}

function UnitsTable({ regionId, page, q, go }: { regionId: number; year: number; page: number; q: string; go: Go }) {
  const { t } = useI18n();
  const [qInput, setQInput] = useState(q);
  const list = useAsync(
    () => listUnits({ regionId, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [regionId, q, page],
  );
  const columns: ColumnsType<UnitRow> = [
    { title: t('analytics.col.unit'), dataIndex: 'name', render: (n: string, r) => <a data-testid={`unit-row-${r.subjectId}`}>{n}</a> },
    { title: t('analytics.col.kind'), dataIndex: 'kind', width: 80, render: (k: string) => t(`analytics.kind.${k}` as MessageKey) },
    { title: t('analytics.col.region'), dataIndex: 'regionName', width: 120 },
    {
      title: t('analytics.col.latest'),
      key: 'latest',
      width: 260,
      render: (_, r) =>
        r.latestYear ? (
          <span>
            {r.latestYear} · {r.latestCategory} <StatusTag status={r.latestStatus} />
          </span>
        ) : (
          <span className="muted">{t('analytics.none')}</span>
        ),
    },
    {
      title: t('analytics.col.title'),
      key: 'title',
      width: 260,
      render: (_, r) =>
        r.titleName ? (
          <span>
            {r.titleYear} · {r.titleName}
            {r.titleStars ? ` ${'★'.repeat(r.titleStars)}` : ''} <TitleStatusTag status={r.titleStatus} />
          </span>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];
  return (
    <TableCard title={t('analytics.unitsTitle')} excel={{ href: unitsXlsxUrl({ regionId, q: q || undefined }), testId: 'units-excel' }}>
      <Input.Search
        allowClear
        style={{ maxWidth: 320, marginBottom: 12 }}
        placeholder={t('analytics.searchUnits')}
        value={qInput}
        maxLength={100}
        onChange={(e) => setQInput(e.target.value)}
        onSearch={(v) => go({ q: v.trim() || undefined, page: undefined })}
        data-testid="units-search"
      />
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Table<UnitRow>
        rowKey="subjectId"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        rowClassName={() => 'clickable-row'}
        onRow={(r) => ({ onClick: () => go({ unit: r.subjectId }) })}
        locale={{ emptyText: t('analytics.noUnits') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p) => go({ page: p === 1 ? undefined : p }),
        }}
      />
    </TableCard>
  );
}

interface HistoryRow {
  key: string;
  year: number;
  kind: 'application' | 'title';
  name: string;
  category: string;
  status: ApplicationStatus | 'valid' | 'suspended' | 'revoked';
  stars: number | null;
}

function UnitHistoryView({ subjectId, go }: { subjectId: number; go: Go }) {
  const { t } = useI18n();
  const h = useAsync(() => getUnitHistory(subjectId), [subjectId]);
  const data = h.data;
  const rows: HistoryRow[] = (data?.years ?? []).flatMap((y) => [
    ...y.applications.map((a): HistoryRow => ({
      key: `a${a.id}`,
      year: y.year,
      kind: 'application',
      name: a.campaignName,
      category: a.categoryName,
      status: a.status,
      stars: a.stars,
    })),
    ...y.titles.map((x): HistoryRow => ({
      key: `t${x.id}`,
      year: y.year,
      kind: 'title',
      name: x.titleName,
      category: '',
      status: x.status,
      stars: x.stars,
    })),
  ]);
  const option = useMemo<ChartOption>(() => {
    const years = [...(data?.years ?? [])].reverse();
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 32, right: 24, top: 36, bottom: 24, containLabel: true },
      xAxis: { type: 'category', data: years.map((y) => String(y.year)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('analytics.fig.applications'), data: years.map((y) => y.applications.length) },
        { type: 'bar', name: t('analytics.col.titles'), data: years.map((y) => y.titles.length) },
        { type: 'line', name: t('analytics.col.stars'), data: years.map((y) => Math.max(0, ...y.titles.map((x) => x.stars))) },
      ],
    };
  }, [data, t]);
  const columns: ColumnsType<HistoryRow> = [
    { title: t('analytics.col.year'), dataIndex: 'year', width: 80 },
    {
      title: t('analytics.col.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (k: HistoryRow['kind']) => t(k === 'application' ? 'analytics.history.application' : 'analytics.history.title'),
    },
    { title: t('analytics.col.name'), dataIndex: 'name' },
    { title: t('analytics.col.category'), dataIndex: 'category', width: 120 },
    {
      title: t('analytics.col.status'),
      key: 'status',
      width: 180,
      render: (_, r) =>
        r.kind === 'title' ? <TitleStatusTag status={r.status as 'valid'} /> : <StatusTag status={r.status as ApplicationStatus} />,
    },
    { title: t('analytics.col.stars'), dataIndex: 'stars', width: 80, render: (s: number | null) => (s ? '★'.repeat(s) : '—') },
  ];
  return (
    <div data-testid="unit-history">
      {h.error && <ErrorBox error={h.error} onRetry={h.reload} />}
      {data && (
        <>
          <Breadcrumb
            data-testid="drill-breadcrumb"
            style={{ marginBottom: 12 }}
            items={[
              ...data.breadcrumb.map((b) => ({
                title: (
                  <a
                    onClick={() => go({ region: b.id, unit: undefined, view: 'units', page: undefined, q: undefined })}
                    data-testid={`crumb-${b.id}`}
                  >
                    {b.name}
                  </a>
                ),
              })),
              { title: <strong>{data.subject.name}</strong> },
            ]}
          />
          <TableCard
            title={t('analytics.historyTitle', { name: data.subject.name })}
            excel={{ href: unitHistoryXlsxUrl(subjectId), testId: 'history-excel' }}
          >
            {rows.length ? <EChart option={option} height={240} testId="history-chart" /> : null}
            <Table<HistoryRow>
              rowKey="key"
              size="small"
              columns={columns}
              dataSource={rows}
              pagination={false}
              scroll={{ x: 700 }}
              locale={{ emptyText: t('analytics.noHistory') }}
            />
          </TableCard>
        </>
      )}
      {!data && h.loading && <Card loading />}
    </div>
  );
}
