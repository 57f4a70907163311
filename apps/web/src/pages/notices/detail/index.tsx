import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Result, Space, Table, Tag, Typography } from 'antd';
import { getNotice, removeNoticeItem, type NoticeItem } from '../../../api/notices';
import { ApiError } from '../../../api/client';
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
              scroll={{ x: 980 }}
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
