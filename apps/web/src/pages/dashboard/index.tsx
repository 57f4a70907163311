import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { APPLICATION_STATUSES, STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import { getDashboard } from '../../api/dashboard';
import type { DashboardData } from '../../api/types';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { STATUS_COLORS } from '../../components/StatusTag';
import BarList from './BarList';

const STATUS_BAR: Record<string, string> = {
  default: '#a0a4ab',
  processing: '#1f6fb2',
  cyan: '#13a8a8',
  geekblue: '#2f54eb',
  gold: '#d4a017',
  success: '#389e0d',
  warning: '#d46b08',
  error: '#c0262d',
};

interface CategoryRow {
  code: string;
  name: string;
  total: number;
  counts: Partial<Record<ApplicationStatus, number>>;
}

function categoryRows(d: DashboardData): CategoryRow[] {
  const rows = new Map<string, CategoryRow>();
  for (const r of d.byCategory) {
    const row = rows.get(r.code) ?? { code: r.code, name: r.name, total: 0, counts: {} };
    row.counts[r.status] = (row.counts[r.status] ?? 0) + r.n;
    row.total += r.n;
    rows.set(r.code, row);
  }
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export default function DashboardPage() {
  const { t, pick } = useI18n();
  const { data, error, loading, reload } = useAsync(getDashboard, []);
  const d = data;
  const totalApps = d ? Object.values(d.applicationsByStatus).reduce((s, n) => s + (n ?? 0), 0) : 0;
  const totalTitles = d ? Object.values(d.titlesByStars).reduce((s, n) => s + n, 0) : 0;
  const rows = d ? categoryRows(d) : [];

  const columns: ColumnsType<CategoryRow> = [
    { title: t('dashboard.category'), dataIndex: 'name', fixed: 'left', width: 140 },
    ...APPLICATION_STATUSES.map((s) => ({
      title: pick(STATUS_LABELS[s]),
      key: s,
      width: 110,
      align: 'right' as const,
      render: (_: unknown, r: CategoryRow) => r.counts[s] ?? 0,
    })),
    {
      title: t('dashboard.total'),
      dataIndex: 'total',
      width: 80,
      align: 'right',
      fixed: 'right',
      render: (n: number) => <strong>{n}</strong>,
    },
  ];

  return (
    <PageContainer
      title={t('dashboard.title')}
      subTitle={d && t('dashboard.region', { name: d.region.name })}
      extra={
        d?.categoryCodes && rows.length > 0 ? (
          <Typography.Text type="secondary">{t('dashboard.scopeCategories', { list: rows.map((r) => r.name).join('、') })}</Typography.Text>
        ) : null
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card loading={loading && !d} className="stat-card">
            <Statistic
              title={t('dashboard.units')}
              value={d?.subjects.unit ?? 0}
              suffix={t('dashboard.unitSuffix')}
              data-testid="stat-units"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={loading && !d} className="stat-card">
            <Statistic
              title={t('dashboard.households')}
              value={d?.subjects.household ?? 0}
              suffix={t('dashboard.householdSuffix')}
              data-testid="stat-households"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={loading && !d} className="stat-card">
            <Statistic
              title={t('dashboard.applicationsTotal')}
              value={totalApps}
              suffix={t('dashboard.itemSuffix')}
              data-testid="stat-applications"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card loading={loading && !d} className="stat-card stat-card-gold">
            <Statistic
              title={t('dashboard.titlesTotal')}
              value={totalTitles}
              suffix={t('dashboard.unitSuffix')}
              data-testid="stat-titles"
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('dashboard.byStatus')} loading={loading && !d} data-testid="dashboard-by-status">
            <BarList
              items={APPLICATION_STATUSES.map((s) => ({
                key: s,
                label: pick(STATUS_LABELS[s]),
                value: d?.applicationsByStatus[s] ?? 0,
                color: STATUS_BAR[STATUS_COLORS[s]] ?? '#888',
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('dashboard.byStars')} loading={loading && !d} data-testid="dashboard-by-stars">
            <BarList
              items={[5, 4, 3, 2, 1].map((n) => ({
                key: String(n),
                label: (
                  <span className="star-label">
                    {'★'.repeat(n)}
                    <span className="star-empty">{'★'.repeat(5 - n)}</span>
                  </span>
                ),
                value: d?.titlesByStars[String(n)] ?? 0,
                color: '#d4a017',
              }))}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('dashboard.byCategory')} styles={{ body: { padding: 0 } }}>
            <Table<CategoryRow>
              rowKey="code"
              size="middle"
              loading={loading}
              columns={columns}
              dataSource={rows}
              pagination={false}
              scroll={{ x: 1100 }}
              data-testid="dashboard-by-category"
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
