import { Card, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LEVEL_LABELS, type TitleLevel } from '@pingan/core';
import { certificateUrl, listTitles } from '../../../api/titles';
import type { Title } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useI18n } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import Stars from '../../../components/Stars';

/** 已命名: the titles in scope, each with its certificate. */
export default function TitleListPage() {
  const { t, pick } = useI18n();
  const { data, error, loading, reload } = useAsync(listTitles, []);
  const columns: ColumnsType<Title> = [
    { title: t('titles.subject'), dataIndex: 'subjectName', width: 220, render: (n: string) => <strong>{n}</strong> },
    { title: t('titles.region'), dataIndex: 'regionName', width: 130 },
    { title: t('titles.titleName'), dataIndex: 'titleName', width: 120 },
    { title: t('titles.year'), dataIndex: 'year', width: 80 },
    {
      title: t('titles.stars'),
      dataIndex: 'stars',
      width: 130,
      render: (s: number, r) =>
        r.level === 'title' ? <span className="muted">{t('rating.noStars')}</span> : <Stars value={s} size={12} />,
    },
    { title: t('titles.level'), dataIndex: 'level', width: 100, render: (l: TitleLevel) => pick(LEVEL_LABELS[l]) },
    { title: t('titles.issuer'), dataIndex: 'issuer', width: 200, ellipsis: true },
    { title: t('titles.certificateNo'), dataIndex: 'certificateNo', width: 210, render: (n: string) => <code>{n}</code> },
    { title: t('titles.conferredOn'), dataIndex: 'conferredOn', width: 110 },
    {
      title: t('titles.state'),
      key: 'state',
      width: 90,
      render: (_: unknown, r) =>
        r.revokedAt ? <Tag color="red">{t('titles.revoked')}</Tag> : <Tag color="green">{t('titles.valid')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_: unknown, r) => (
        <a href={certificateUrl(r.id)} data-testid={`certificate-${r.id}`}>
          {t('titles.download')}
        </a>
      ),
    },
  ];
  return (
    <PageContainer title={t('titles.title')}>
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Title>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data ?? []}
          scroll={{ x: 1500 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
          locale={{ emptyText: t('titles.empty') }}
        />
      </Card>
    </PageContainer>
  );
}
