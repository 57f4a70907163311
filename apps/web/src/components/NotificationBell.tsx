import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Empty, Popover, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { notificationsApi, safeLink, type NotificationItem } from '../api/notifications';
import { useI18n, type MessageKey } from '../locales';

/** Tells the bell (and any list) that notifications were read elsewhere. */
export const NOTIFICATIONS_CHANGED = 'pingan:notifications-changed';
export const notificationsChanged = () => window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));

const POLL_MS = 60_000;
const KINDS = ['assigned', 'deadline', 'returned', 'override', 'rectification'];
export const kindKey = (kind: string): MessageKey =>
  (KINDS.includes(kind) ? `notifications.kind.${kind}` : 'notifications.kind.other') as MessageKey;
export const kindColor = (kind: string) =>
  ({ assigned: 'blue', deadline: 'orange', returned: 'red', override: 'purple', rectification: 'gold' })[kind] ?? 'default';

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden fill="currentColor">
      <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
    </svg>
  );
}

/** Opens a notification: marks it read, then follows its in-app link. */
export function useOpenNotification(after?: () => void) {
  const navigate = useNavigate();
  return useCallback(
    async (n: NotificationItem) => {
      if (!n.readAt) await notificationsApi.markRead(n.id).catch(() => undefined);
      notificationsChanged();
      after?.();
      const to = safeLink(n.link);
      if (to) navigate(to);
    },
    [navigate, after],
  );
}

export function NotificationRow({ n, onOpen }: { n: NotificationItem; onOpen: (n: NotificationItem) => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className={`notif-row${n.readAt ? '' : ' notif-unread'}`}
      onClick={() => onOpen(n)}
      data-testid={`notification-${n.id}`}
    >
      <span className="notif-row-head">
        <Tag color={kindColor(n.kind)}>{t(kindKey(n.kind))}</Tag>
        <span className="notif-time">{dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}</span>
      </span>
      <span className="notif-title">{n.title}</span>
      {n.body && <span className="notif-body">{n.body}</span>}
    </button>
  );
}

/** The bell in the header: the unread count, the latest five, polled every minute. */
export default function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<{ items: NotificationItem[]; unread: number }>({ items: [], unread: 0 });

  const load = useCallback(() => {
    notificationsApi
      .list({ limit: 5 })
      .then((p) => setData({ items: p.items, unread: p.unread }))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    load();
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') load();
    }, POLL_MS);
    window.addEventListener(NOTIFICATIONS_CHANGED, load);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED, load);
    };
  }, [load]);

  const close = useCallback(() => setOpen(false), []);
  const onOpen = useOpenNotification(close);

  const readAll = async () => {
    await notificationsApi.markAllRead().catch(() => undefined);
    notificationsChanged();
  };

  const content = (
    <div className="notif-panel" data-testid="notification-panel">
      <div className="notif-panel-head">
        <Typography.Text strong>{t('notifications.latest')}</Typography.Text>
        {data.unread > 0 && (
          <Button type="link" size="small" onClick={readAll} data-testid="notifications-read-all">
            {t('notifications.readAll')}
          </Button>
        )}
      </div>
      {data.items.length ? (
        data.items.map((n) => <NotificationRow key={n.id} n={n} onOpen={onOpen} />)
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      )}
      <Button
        type="link"
        block
        onClick={() => {
          setOpen(false);
          navigate('/notifications');
        }}
        data-testid="notifications-view-all"
      >
        {t('notifications.viewAll')}
      </Button>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      open={open}
      onOpenChange={(v) => (v ? (load(), setOpen(true)) : setOpen(false))}
      placement="bottomRight"
      arrow={false}
      rootClassName="notif-popover"
    >
      <button
        type="button"
        className="notif-bell"
        aria-label={`${t('notifications.bell')} ${t('notifications.unreadCount', { count: data.unread })}`}
        data-testid="notification-bell"
      >
        <Badge count={data.unread} size="small" overflowCount={99} offset={[2, -2]}>
          <span className="notif-bell-icon">
            <BellIcon />
          </span>
        </Badge>
      </button>
    </Popover>
  );
}
