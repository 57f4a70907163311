import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Empty, Pagination, Space, Switch, Typography, message } from 'antd';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { NOTIFICATIONS_CHANGED, NotificationRow, notificationsChanged, useOpenNotification } from '../../components/NotificationBell';
import { notificationsApi, type NotificationPage } from '../../api/notifications';
import { errorMessage } from '../../api/client';
import { useI18n } from '../../locales';

const PAGE_SIZE = 20;

/** All my notifications, newest first, paged; a click marks one read and opens it. */
export default function NotificationListPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [data, setData] = useState<NotificationPage | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const load = useCallback(() => {
    notificationsApi
      .list({ unread: unreadOnly, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
      .then((p) => {
        setData(p);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e : new Error(errorMessage(e))));
  }, [page, unreadOnly]);

  useEffect(() => {
    load();
    window.addEventListener(NOTIFICATIONS_CHANGED, load);
    return () => window.removeEventListener(NOTIFICATIONS_CHANGED, load);
  }, [load]);

  const onOpen = useOpenNotification();

  const readAll = async () => {
    try {
      await notificationsApi.markAllRead();
      message.success(t('notifications.readAllDone'));
      notificationsChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <PageContainer
      title={t('notifications.title')}
      subTitle={data ? t('notifications.unreadCount', { count: data.unread }) : undefined}
      extra={
        <Space wrap>
          <Space size={6}>
            <Switch
              size="small"
              checked={unreadOnly}
              onChange={(v) => {
                setUnreadOnly(v);
                setPage(1);
              }}
              data-testid="notifications-unread-only"
            />
            <Typography.Text>{t('notifications.onlyUnread')}</Typography.Text>
          </Space>
          <Button onClick={readAll} disabled={!data?.unread} data-testid="notifications-read-all-page">
            {t('notifications.readAll')}
          </Button>
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={load} />}
      <Card className="notif-list-card" styles={{ body: { padding: 0 } }}>
        {data && data.items.length === 0 ? (
          <Empty style={{ padding: 32 }} description={t('notifications.empty')} />
        ) : (
          data?.items.map((n) => <NotificationRow key={n.id} n={n} onOpen={onOpen} />)
        )}
      </Card>
      {data && data.total > PAGE_SIZE && (
        <div className="notif-pager">
          <Pagination current={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} showSizeChanger={false} simple />
        </div>
      )}
      {data && <div className="muted notif-total">{t('notifications.total', { total: data.total })}</div>}
    </PageContainer>
  );
}
