import { useState } from 'react';
import { App, Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { listSessions, revokeOtherSessions, type SessionItem } from '../../api/account';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import { fmtTime } from '../../utils/format';
import ErrorBox from '../../components/ErrorBox';

/** "Chrome · Windows" from a user agent, enough to recognise one's own devices. */
export function deviceOf(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /MicroMessenger/i.test(ua)
    ? 'WeChat'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad|iOS/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  const parts = [browser, os].filter(Boolean);
  return parts.length ? parts.join(' · ') : ua.slice(0, 60);
}

/** My live sessions, this one marked; every other one can be ended at once. */
export default function SessionsCard({ reloadKey }: { reloadKey: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const sessions = useAsync(listSessions, [reloadKey]);
  const [busy, setBusy] = useState(false);
  const items = sessions.data?.items ?? [];
  const others = items.filter((s) => !s.current).length;

  const revoke = async () => {
    setBusy(true);
    try {
      const r = await revokeOtherSessions();
      message.success(t('account.sessions.revoked', { n: r.revoked }));
      sessions.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('account.sessions.title')}
      extra={
        <Popconfirm
          title={t('account.sessions.revokeConfirm')}
          onConfirm={revoke}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          disabled={!others}
        >
          <Button danger size="small" disabled={!others} loading={busy} data-testid="sessions-revoke">
            {t('account.sessions.revoke')}
          </Button>
        </Popconfirm>
      }
      data-testid="sessions-card"
    >
      {sessions.error && <ErrorBox error={sessions.error} onRetry={sessions.reload} />}
      <Typography.Paragraph type="secondary">{t('account.sessions.hint')}</Typography.Paragraph>
      <List<SessionItem>
        loading={sessions.loading}
        dataSource={items}
        locale={{ emptyText: t('common.noData') }}
        renderItem={(s) => (
          <List.Item data-testid={s.current ? 'session-current' : 'session-other'}>
            <List.Item.Meta
              title={
                <Space size={8} wrap>
                  <span>{deviceOf(s.userAgent) ?? t('account.sessions.unknownDevice')}</span>
                  {s.current && <Tag color="green">{t('account.sessions.current')}</Tag>}
                </Space>
              }
              description={
                <Space orientation="vertical" size={0}>
                  <span>{t('account.sessions.ip', { ip: s.ip ?? '—' })}</span>
                  <span>{t('account.sessions.since', { at: fmtTime(s.createdAt) })}</span>
                  <span>{t('account.sessions.lastSeen', { at: fmtTime(s.lastSeenAt) })}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
