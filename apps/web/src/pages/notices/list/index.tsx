import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { conferNotice, listNotices } from '../../../api/notices';
import { errorMessage } from '../../../api/client';
import type { NoticeSummary } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useT, type MessageKey } from '../../../locales';
import { periodState } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';

const STATE_COLOR = { upcoming: 'default', open: 'gold', ended: 'green' } as const;

/** 公示管理: the region's notices; publish a new one; confer the titles once a notice has ended. */
export default function NoticeListPage() {
  const t = useT();
  const { message, notification } = App.useApp();
  const { data, error, loading, reload } = useAsync(listNotices, []);
  const [conferring, setConferring] = useState<number | null>(null);

  const confer = async (n: NoticeSummary) => {
    setConferring(n.id);
    try {
      const r = await conferNotice(n.id);
      reload();
      if (r.conferred.length) message.success(t('notices.conferred', { n: r.conferred.length }));
      else message.info(t('notices.conferredNone'));
    } catch (e) {
      notification.error({ title: n.title, description: errorMessage(e) });
    } finally {
      setConferring(null);
    }
  };

  const columns: ColumnsType<NoticeSummary> = [
    { title: t('notices.colTitle'), dataIndex: 'title', render: (title: string) => <strong>{title}</strong> },
    { title: t('notices.region'), dataIndex: 'regionName', width: 120 },
    { title: t('notices.period'), key: 'period', width: 220, render: (_: unknown, n) => `${n.startsOn} ~ ${n.endsOn}` },
    {
      title: t('notices.items'),
      key: 'items',
      width: 160,
      render: (_: unknown, n) => t('notices.itemsValue', { n: n.items, c: n.conferred }),
    },
    {
      title: t('notices.state'),
      key: 'state',
      width: 100,
      render: (_: unknown, n) => {
        const s = periodState(n.startsOn, n.endsOn);
        return <Tag color={STATE_COLOR[s]}>{t(`notices.state.${s}` as MessageKey)}</Tag>;
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      render: (_: unknown, n) => (
        <Space>
          <Link to={`/public/notices/${n.id}`} target="_blank" data-testid={`view-notice-${n.id}`}>
            {t('notices.view')}
          </Link>
          <Popconfirm
            title={t('notices.confer')}
            description={t('notices.conferConfirm', { n: n.inNotice })}
            onConfirm={() => confer(n)}
            okText={t('notices.confer')}
            cancelText={t('common.cancel')}
            okButtonProps={{ 'data-testid': `confer-ok-${n.id}` } as never}
            disabled={n.inNotice === 0}
          >
            <Button
              size="small"
              type="primary"
              ghost
              loading={conferring === n.id}
              disabled={n.inNotice === 0 || (conferring !== null && conferring !== n.id)}
              data-testid={`confer-${n.id}`}
            >
              {t('notices.confer')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('notices.title')}
      extra={
        <Link to="/notices/new">
          <Button type="primary" data-testid="publish-notice">
            {t('notices.publish')}
          </Button>
        </Link>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<NoticeSummary>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('notices.empty') }}
          onRow={(n) => ({ id: `notice-row-${n.id}`, 'data-testid': `notice-row-${n.id}` })}
        />
      </Card>
    </PageContainer>
  );
}
