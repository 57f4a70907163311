import { Link } from 'react-router-dom';
import { Card, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { listStandards } from '../../../api/standards';
import type { StandardSummary, StandardVersionSummary } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';

/** 标准库: every standard with its versions. */
export default function StandardListPage() {
  const t = useT();
  const { data, error, loading, reload } = useAsync(listStandards, []);
  const columns: ColumnsType<StandardSummary> = [
    { title: t('standards.category'), dataIndex: 'categoryName', width: 120, render: (n: string) => <strong>{n}</strong> },
    {
      title: t('standards.stdTitle'),
      dataIndex: 'title',
      render: (title: string, s) => (
        <Link to={`/standards/${s.id}`} data-testid={`standard-${s.id}`}>
          {title}
        </Link>
      ),
    },
    { title: t('standards.issuer'), dataIndex: 'issuer', width: 200 },
    { title: t('standards.code'), dataIndex: 'code', width: 250, render: (c: string) => <code style={{ whiteSpace: 'nowrap' }}>{c}</code> },
    {
      title: t('standards.versions'),
      dataIndex: 'versions',
      width: 210,
      render: (vs: StandardVersionSummary[]) => (
        <Space orientation="vertical" size={2}>
          {vs.map((v) => (
            <Link key={v.id} to={`/standards/versions/${v.id}`} data-testid={`standard-version-${v.id}`}>
              {t('standards.versionLabel', { n: v.version, criteria: v.criteria, max: v.maxPoints })}
            </Link>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <PageContainer title={t('standards.title')}>
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<StandardSummary>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data ?? []}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('standards.empty') }}
        />
      </Card>
    </PageContainer>
  );
}
