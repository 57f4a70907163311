import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Progress, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import type { CampaignFull } from '../../api/campaigns';
import { ApiError, errorMessage } from '../../api/client';
import {
  getNominations,
  getRecommendations,
  recommend,
  withdrawRecommendation,
  type EligibleTitle,
  type Recommendation,
} from '../../api/quotas';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import CampaignPicker, { useCampaignParam } from '../quotas/CampaignPicker';

/** Campaigns a body recommends into (another region's, entry by recommendation), or the office's own. */
const fits = (c: CampaignFull) => c.chain?.rules?.entry === 'recommendation' || (c.owned && c.chain?.rules?.nominationFactor != null);

/** 推荐申报: a county office recommends units it named this year, within its quota; the office sees all. */
export default function RecommendationsPage() {
  const t = useT();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const { campaignId, setCampaignId, options, campaigns } = useCampaignParam(fits);
  // the eligible titles come a page at a time, searched by the unit's name: a county names thousands a year
  const [eligiblePage, setEligiblePage] = useState({ q: '', current: 1, pageSize: 20 });
  const { data, error, loading, reload } = useAsync(
    () =>
      campaignId
        ? getRecommendations(campaignId, {
            q: eligiblePage.q,
            limit: eligiblePage.pageSize,
            offset: (eligiblePage.current - 1) * eligiblePage.pageSize,
          })
        : Promise.resolve(undefined),
    [campaignId, eligiblePage],
  );
  const nominations = useAsync(() => (campaignId ? getNominations(campaignId) : Promise.resolve(undefined)), [campaignId]);
  const [refusal, setRefusal] = useState<{ subject: string; rule: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [withdrawing, setWithdrawing] = useState<Recommendation | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const doRecommend = async (e: EligibleTitle) => {
    if (!campaignId) return;
    setBusy(e.titleId);
    setRefusal(null);
    try {
      await recommend(campaignId, e.titleId);
      message.success(t('recommend.done', { name: e.subjectName }));
      reload();
    } catch (err) {
      const rule =
        err instanceof ApiError && typeof (err.details as { rule?: unknown } | undefined)?.rule === 'string'
          ? (err.details as { rule: string }).rule
          : null;
      setRefusal({ subject: e.subjectName, rule, message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  const doWithdraw = async () => {
    if (!campaignId || !withdrawing) return;
    const { reason } = await form.validateFields();
    try {
      await withdrawRecommendation(campaignId, withdrawing.id, reason.trim());
      message.success(t('recommend.withdrawn'));
      setWithdrawing(null);
      form.resetFields();
      reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const statusTag = (s: string) => <Tag>{pick(STATUS_LABELS[s as ApplicationStatus]) || s}</Tag>;

  const eligibleColumns: ColumnsType<EligibleTitle> = [
    { title: t('recommend.unit'), dataIndex: 'subjectName', key: 'subject' },
    { title: t('recommend.category'), dataIndex: 'categoryName', key: 'category' },
    {
      title: t('recommend.title'),
      key: 'title',
      render: (_: unknown, e) => (
        <Space orientation="vertical" size={0}>
          <span>{t('recommend.titleYear', { year: e.year, name: e.titleName })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.certificateNo}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('recommend.check'),
      key: 'check',
      render: (_: unknown, e) =>
        e.recommended ? (
          <Tag color="green">{t('recommend.already')}</Tag>
        ) : e.problem ? (
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            {e.problem.message}
          </Typography.Text>
        ) : (
          <Tag color="blue">{t('recommend.ok')}</Tag>
        ),
    },
    {
      title: '',
      key: 'ops',
      render: (_: unknown, e) =>
        !e.recommended && (
          <Button
            type="primary"
            size="small"
            loading={busy === e.titleId}
            onClick={() => doRecommend(e)}
            data-testid={`recommend-${e.titleId}`}
          >
            {t('recommend.button')}
          </Button>
        ),
    },
  ];

  const recColumns: ColumnsType<Recommendation> = [
    { title: t('recommend.unit'), key: 'subject', render: (_: unknown, r) => <Link to={`/applications/${r.id}`}>{r.subjectName}</Link> },
    { title: t('recommend.category'), dataIndex: 'categoryName', key: 'category' },
    ...(data?.role === 'office' ? [{ title: t('recommend.by'), dataIndex: 'recommendedByName', key: 'by' }] : []),
    { title: t('recommend.status'), key: 'status', render: (_: unknown, r: Recommendation) => statusTag(r.status) },
    { title: t('recommend.at'), key: 'at', render: (_: unknown, r: Recommendation) => r.submittedAt?.slice(0, 10) ?? '' },
    ...(data?.role === 'recommender'
      ? [
          {
            title: '',
            key: 'ops',
            render: (_: unknown, r: Recommendation) =>
              r.status === 'submitted' && (
                <Button size="small" danger onClick={() => setWithdrawing(r)} data-testid={`recommend-withdraw-${r.id}`}>
                  {t('recommend.withdraw')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      title={t('recommend.pageTitle')}
      subTitle={t('recommend.subtitle')}
      extra={
        <CampaignPicker
          value={campaignId}
          options={options}
          loading={campaigns.loading}
          onChange={setCampaignId}
          testId="recommend-campaign"
        />
      }
    >
      {(error || campaigns.error) && <ErrorBox error={(error ?? campaigns.error)!} onRetry={reload} />}
      {!campaigns.loading && !options.length && <Empty description={t('quotas.noCampaign')} />}
      {data && data.rules.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={data.recommender ? t('recommend.rulesFor', { name: data.recommender.name }) : t('recommend.rules')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {data.rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
          data-testid="recommend-rules"
        />
      )}
      {refusal && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setRefusal(null)}
          style={{ marginBottom: 16 }}
          title={
            refusal.rule
              ? t('recommend.refusedRule', { name: refusal.subject, rule: refusal.rule })
              : t('recommend.refused', { name: refusal.subject })
          }
          description={
            refusal.rule && refusal.message.startsWith(`${refusal.rule}：`)
              ? refusal.message.slice(refusal.rule.length + 1)
              : refusal.message
          }
          data-testid="recommend-error"
        />
      )}
      {data && data.quotas.length > 0 && (
        <Card size="small" title={data.role === 'office' ? t('recommend.quotaAll') : t('recommend.quotaMine')} style={{ marginBottom: 16 }}>
          <Space wrap size="large">
            {data.quotas.map((q) => (
              <Space key={q.id} orientation="vertical" size={0} data-testid={`quota-row-${q.categoryCode}`} style={{ minWidth: 180 }}>
                <Typography.Text>
                  {data.role === 'office' ? `${q.regionName ?? q.deptName ?? ''} · ` : ''}
                  {q.categoryName}
                </Typography.Text>
                <Progress
                  percent={q.count ? Math.round((q.used / q.count) * 100) : 100}
                  size="small"
                  status={q.used >= q.count ? 'exception' : 'normal'}
                  format={() => `${q.used}/${q.count}`}
                />
              </Space>
            ))}
          </Space>
        </Card>
      )}
      {data && data.role === 'recommender' && data.quotas.length === 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('recommend.noQuota')} />
      )}
      {nominations.data?.applies && (
        <Card size="small" title={t('recommend.nominations')} style={{ marginBottom: 16 }}>
          {nominations.data.categories.map((c) => (
            <Alert
              key={c.categoryCode}
              type={c.met ? 'success' : 'warning'}
              showIcon
              style={{ marginBottom: 8 }}
              title={`${c.categoryName}：${c.message}`}
              data-testid={`nomination-${c.categoryCode}`}
            />
          ))}
        </Card>
      )}
      {data?.role === 'recommender' && (
        <Card
          title={t('recommend.eligible', { year: data.campaign.year })}
          extra={
            <Input.Search
              allowClear
              placeholder={t('recommend.search')}
              style={{ width: 220 }}
              defaultValue={eligiblePage.q}
              onSearch={(q) => setEligiblePage((p) => ({ ...p, q: q.trim(), current: 1 }))}
              data-testid="recommend-search"
            />
          }
          style={{ marginBottom: 16 }}
          styles={{ body: { padding: 0 } }}
        >
          <Table<EligibleTitle>
            rowKey="titleId"
            loading={loading}
            columns={eligibleColumns}
            dataSource={data.eligible}
            pagination={{
              current: eligiblePage.current,
              pageSize: eligiblePage.pageSize,
              total: data.eligibleTotal,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (n) => t('recommend.eligibleTotal', { n }),
              onChange: (current, pageSize) => setEligiblePage((p) => ({ ...p, current, pageSize })),
            }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('recommend.noEligible') }}
          />
        </Card>
      )}
      {data && (
        <Card title={data.role === 'office' ? t('recommend.all') : t('recommend.mine')} styles={{ body: { padding: 0 } }}>
          <Table<Recommendation>
            rowKey="id"
            loading={loading}
            columns={recColumns}
            dataSource={data.recommendations}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('recommend.none') }}
          />
        </Card>
      )}
      <Modal
        open={!!withdrawing}
        title={t('recommend.withdrawTitle', { name: withdrawing?.subjectName ?? '' })}
        onOk={doWithdraw}
        onCancel={() => setWithdrawing(null)}
        okText={t('recommend.withdraw')}
        okButtonProps={{ danger: true }}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('recommend.reason')}
            rules={[{ required: true, whitespace: true, message: t('recommend.reasonRequired') }, { max: 500 }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
