import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { conferNotice, listNotices, noticesXlsxUrl, withdrawNotice, type NoticeRow, type NoticeState } from '../../../api/notices';
import { errorMessage } from '../../../api/client';
import { useAsync } from '../../../hooks/useAsync';
import { useT, type MessageKey } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import ReasonModal from '../ReasonModal';
import EditNoticeModal from '../EditNoticeModal';

const STATE_COLOR: Record<NoticeState, string> = { upcoming: 'default', open: 'gold', ended: 'green', withdrawn: 'default' };

/** 公示管理: the region's notices; publish, edit or withdraw one; confer the titles once it has ended. */
export default function NoticeListPage() {
  const t = useT();
  const { message, notification } = App.useApp();
  const { data, error, loading, reload } = useAsync(listNotices, []);
  const [conferring, setConferring] = useState<number | null>(null);
  const [editing, setEditing] = useState<NoticeRow | null>(null);
  const [withdrawing, setWithdrawing] = useState<NoticeRow | null>(null);

  const confer = async (n: NoticeRow) => {
    setConferring(n.id);
    try {
      const r = await conferNotice(n.id);
      reload();
      if (r.conferred.length) message.success(t('notices.conferred', { n: r.conferred.length }));
      else if (!r.waiting.length) message.info(t('notices.conferredNone'));
      if (r.waiting.length) message.warning(t('objections.conferWaiting', { n: r.waiting.length }));
    } catch (e) {
      notification.error({ title: n.title, description: errorMessage(e) });
    } finally {
      setConferring(null);
    }
  };

  const columns: ColumnsType<NoticeRow> = [
    {
      title: t('notices.colTitle'),
      dataIndex: 'title',
      render: (title: string, n) => (
        <Link to={`/notices/${n.id}`} data-testid={`notice-detail-${n.id}`}>
          <strong>{title}</strong>
        </Link>
      ),
    },
    { title: t('notices.region'), dataIndex: 'regionName', width: 120 },
    { title: t('notices.period'), key: 'period', width: 210, render: (_: unknown, n) => `${n.startsOn} ~ ${n.endsOn}` },
    {
      title: t('notices.items'),
      key: 'items',
      width: 170,
      render: (_: unknown, n) => (
        <span>
          {t('notices.itemsValue', { n: n.items, c: n.conferred })}
          {n.removed > 0 && <Tag style={{ marginLeft: 6 }}>{t('notices.removed', { n: n.removed })}</Tag>}
        </span>
      ),
    },
    {
      title: t('notices.state'),
      key: 'state',
      width: 100,
      render: (_: unknown, n) => (
        <Tooltip title={n.withdrawnReason ?? undefined}>
          <Tag color={STATE_COLOR[n.state]} data-testid={`notice-state-${n.id}`}>
            {t(`notices.state.${n.state}` as MessageKey)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 360,
      render: (_: unknown, n) => (
        <Space wrap>
          {n.status === 'active' && (
            <Link to={`/public/notices/${n.publicCode}`} target="_blank" data-testid={`view-notice-${n.id}`}>
              {t('notices.view')}
            </Link>
          )}
          {n.canEdit && (
            <Button size="small" onClick={() => setEditing(n)} data-testid={`notice-edit-${n.id}`}>
              {t('notices.edit')}
            </Button>
          )}
          {n.canWithdraw && (
            <Button size="small" danger onClick={() => setWithdrawing(n)} data-testid={`notice-withdraw-notice-${n.id}`}>
              {t('notices.withdraw')}
            </Button>
          )}
          {n.owned && n.status === 'active' && (
            <Popconfirm
              title={t('notices.confer')}
              description={t('notices.conferConfirm', { n: n.inNotice })}
              onConfirm={() => confer(n)}
              okText={t('notices.confer')}
              cancelText={t('common.cancel')}
              okButtonProps={{ 'data-testid': `confer-ok-${n.id}` } as never}
              disabled={!n.canConfer}
            >
              <Button
                size="small"
                type="primary"
                ghost
                loading={conferring === n.id}
                disabled={!n.canConfer || (conferring !== null && conferring !== n.id)}
                data-testid={`confer-${n.id}`}
              >
                {t('notices.confer')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('notices.title')}
      extra={
        <Space>
          <Button href={noticesXlsxUrl()} data-testid="notices-export">
            {t('common.exportXlsx')}
          </Button>
          <Link to="/notices/new">
            <Button type="primary" data-testid="publish-notice">
              {t('notices.publish')}
            </Button>
          </Link>
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<NoticeRow>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: t('notices.empty') }}
          onRow={(n) => ({ id: `notice-row-${n.id}`, 'data-testid': `notice-row-${n.id}` })}
        />
      </Card>
      <EditNoticeModal notice={editing} onClose={() => setEditing(null)} onSaved={reload} />
      <ReasonModal
        open={withdrawing !== null}
        title={t('notices.withdrawTitle', { title: withdrawing?.title ?? '' })}
        hint={t('notices.withdrawHint')}
        testId="notice-withdraw-notice-modal"
        onClose={() => setWithdrawing(null)}
        onSubmit={async (reason) => {
          await withdrawNotice(withdrawing!.id, reason);
          message.success(t('notices.withdrawDone'));
          reload();
        }}
      />
    </PageContainer>
  );
}
