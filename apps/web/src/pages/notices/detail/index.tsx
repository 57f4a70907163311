import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Result, Space, Table, Tag, Typography } from 'antd';
import { conferNotice, getNotice, removeNoticeItem, type NoticeItem } from '../../../api/notices';
import { ApiError, errorMessage } from '../../../api/client';
import { useAsync } from '../../../hooks/useAsync';
import { useT, type MessageKey } from '../../../locales';
import { fmtScore, fmtTime } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import StatusTag from '../../../components/StatusTag';
import Stars from '../../../components/Stars';
import ReasonModal from '../ReasonModal';
import EditNoticeModal from '../EditNoticeModal';

/** 公示名单: the names on one notice; the owner office takes one off (撤回 / 退回) with a reason. */
export default function NoticeDetailPage() {
  const { id } = useParams();
  const t = useT();
  const { message } = App.useApp();
  const { data: n, error, loading, reload } = useAsync(() => getNotice(Number(id)), [id]);
  const [removing, setRemoving] = useState<{ item: NoticeItem; action: 'withdraw' | 'return' } | null>(null);
  const [editing, setEditing] = useState(false);
  // 公示期满命名 from here too: candidates with an open objection wait (the answer names them)
  const [conferring, setConferring] = useState(false);
  const [waiting, setWaiting] = useState<{ applicationId: number; openObjections: number }[] | null>(null);
  const canConfer = !!n && n.owned && n.state === 'ended' && n.items.some((i) => i.status === 'in_notice' && !i.removedAt);
  const confer = async () => {
    if (!n) return;
    setConferring(true);
    try {
      const r = await conferNotice(n.id);
      if (r.conferred.length) message.success(t('objections.conferDone', { n: r.conferred.length }));
      else if (!r.waiting.length) message.info(t('notices.conferredNone'));
      setWaiting(r.waiting);
      reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setConferring(false);
    }
  };

  if (error instanceof ApiError && (error.status === 404 || error.status === 400))
    return (
      <PageContainer title={t('noticeDetail.title')}>
        <Result status="404" title={error.message} extra={<Link to="/notices">{t('noticeDetail.back')}</Link>} />
      </PageContainer>
    );

  return (
    <PageContainer
      title={n?.title ?? t('noticeDetail.title')}
      extra={
        <Space wrap>
          <Link to="/notices">{t('noticeDetail.back')}</Link>
          {n?.canEdit && (
            <Button onClick={() => setEditing(true)} data-testid="notice-detail-edit">
              {t('notices.edit')}
            </Button>
          )}
          {canConfer && (
            <Button type="primary" loading={conferring} onClick={confer} data-testid="notice-detail-confer">
              {t('objections.confer')}
            </Button>
          )}
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !n && <Card loading />}
      {n && (
        <>
          {n.status === 'withdrawn' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('noticeDetail.withdrawnNotice', { reason: n.withdrawnReason ?? '' })}
            />
          )}
          {waiting && waiting.length > 0 && (
            <Alert
              type="warning"
              showIcon
              closable
              onClose={() => setWaiting(null)}
              style={{ marginBottom: 16 }}
              data-testid="confer-waiting"
              title={t('objections.conferWaiting', { n: waiting.length })}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {waiting.map((w) => (
                    <li key={w.applicationId}>
                      <Link to={`/objections?notice=${n.id}&status=open`}>
                        {t('objections.conferWaitingItem', {
                          name: n.items.find((i) => i.applicationId === w.applicationId)?.subjectName ?? String(w.applicationId),
                          n: w.openObjections,
                        })}
                      </Link>
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <Card style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
              <Descriptions.Item label={t('notices.period')}>
                {n.startsOn} ~ {n.endsOn}
              </Descriptions.Item>
              <Descriptions.Item label={t('notices.state')}>
                <Tag data-testid="notice-detail-state">{t(`notices.state.${n.state}` as MessageKey)}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('noticeDetail.minLabel')}>
                {t('noticeDetail.minNotice', { n: n.minNoticeDays, date: n.earliestEnd })}
              </Descriptions.Item>
            </Descriptions>
            {n.body && <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>{n.body}</Typography.Paragraph>}
          </Card>
          <Card styles={{ body: { padding: 0 } }}>
            <Table<NoticeItem>
              rowKey="applicationId"
              dataSource={n.items}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              scroll={{ x: 1100 }}
              data-testid="notice-detail-items"
              columns={[
                {
                  title: t('noticeDetail.subject'),
                  dataIndex: 'subjectName',
                  render: (s: string, i) => (
                    <Link to={`/applications/${i.applicationId}`}>
                      <strong>{s}</strong>
                    </Link>
                  ),
                },
                { title: t('applications.region'), dataIndex: 'regionName', width: 130 },
                { title: t('applications.category'), dataIndex: 'categoryName', width: 110 },
                {
                  title: t('applications.score'),
                  dataIndex: 'score',
                  width: 80,
                  align: 'right',
                  render: (s: number | null) => fmtScore(s),
                },
                {
                  title: t('applications.stars'),
                  dataIndex: 'stars',
                  width: 130,
                  render: (s: number | null) => <Stars value={s} size={12} />,
                },
                {
                  title: t('objections.noticeCol'),
                  key: 'objections',
                  width: 120,
                  render: (_: unknown, i) =>
                    i.objectionsTotal > 0 ? (
                      <Link to={`/objections?notice=${n.id}`} data-testid={`notice-objections-${i.applicationId}`}>
                        {t('objections.noticeCount', { total: i.objectionsTotal })}
                        {i.objectionsOpen > 0 && (
                          <Tag color="red" style={{ marginInlineStart: 6 }}>
                            {t('objections.noticeOpen', { n: i.objectionsOpen })}
                          </Tag>
                        )}
                      </Link>
                    ) : (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ),
                },
                {
                  title: t('noticeDetail.status'),
                  key: 'status',
                  width: 220,
                  render: (_: unknown, i) =>
                    i.removedAt ? (
                      <div data-testid={`notice-item-removed-${i.applicationId}`}>
                        <Tag>{t('noticeDetail.removed')}</Tag> <StatusTag status={i.status} />
                        <div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {fmtTime(i.removedAt)} {t('noticeDetail.removedReason')}：{i.removedReason}
                          </Typography.Text>
                        </div>
                      </div>
                    ) : (
                      <StatusTag status={i.status} />
                    ),
                },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, i) =>
                    i.canRemove && (
                      <Space>
                        <Button
                          size="small"
                          danger
                          onClick={() => setRemoving({ item: i, action: 'withdraw' })}
                          data-testid={`notice-withdraw-${i.applicationId}`}
                        >
                          {t('noticeDetail.withdraw')}
                        </Button>
                        <Button
                          size="small"
                          onClick={() => setRemoving({ item: i, action: 'return' })}
                          data-testid={`notice-return-${i.applicationId}`}
                        >
                          {t('noticeDetail.return')}
                        </Button>
                      </Space>
                    ),
                },
              ]}
            />
          </Card>
          <ReasonModal
            open={removing !== null}
            title={
              removing
                ? t(removing.action === 'withdraw' ? 'noticeDetail.withdrawTitle' : 'noticeDetail.returnTitle', {
                    name: removing.item.subjectName,
                  })
                : ''
            }
            hint={removing ? t(removing.action === 'withdraw' ? 'noticeDetail.withdrawHint' : 'noticeDetail.returnHint') : undefined}
            testId="notice-item-modal"
            onClose={() => setRemoving(null)}
            onSubmit={async (reason) => {
              await removeNoticeItem(n.id, removing!.item.applicationId, removing!.action, reason);
              message.success(t('noticeDetail.done'));
              reload();
            }}
          />
          <EditNoticeModal notice={editing ? n : null} onClose={() => setEditing(false)} onSaved={reload} />
        </>
      )}
    </PageContainer>
  );
}
