import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CampaignFull } from '../../api/campaigns';
import { ApiError, errorMessage } from '../../api/client';
import { listSelections, runSelection, type RankedEntry, type SelectionTie } from '../../api/quotas';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import CampaignPicker, { useCampaignParam } from '../quotas/CampaignPicker';

/** The office's own campaigns whose chain selects a star level by 评选 (000: 4 stars). */
const fits = (c: CampaignFull) => c.owned && c.chain?.rules?.selectionForStars != null;

/** 星级评选: rank the candidates, pick within the number, keep the ranking and the reasons. */
export default function SelectionsPage() {
  const t = useT();
  const { message } = App.useApp();
  const { campaignId, setCampaignId, options, campaigns } = useCampaignParam(fits);
  const campaign = options.find((c) => c.id === campaignId);
  const { data, error, loading, reload } = useAsync(
    () => (campaignId ? listSelections(campaignId) : Promise.resolve(undefined)),
    [campaignId],
  );
  const [form] = Form.useForm<{ categoryCode: string; capacity: number }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [tie, setTie] = useState<{ tie: SelectionTie; ranking: RankedEntry[] } | null>(null);
  const [order, setOrder] = useState<number[]>([]);

  const run = async (tieBreak?: number[]) => {
    if (!campaignId) return;
    const v = await form.validateFields();
    setBusy(true);
    setFailure(null);
    try {
      const r = await runSelection(campaignId, { categoryCode: v.categoryCode, capacity: v.capacity, tieBreak });
      message.success(t('selection.done', { n: r.selectedCount }));
      setTie(null);
      setOrder([]);
      reload();
    } catch (e) {
      const d = e instanceof ApiError ? (e.details as { tie?: SelectionTie; ranking?: RankedEntry[] } | undefined) : undefined;
      if (d?.tie) {
        setTie({ tie: d.tie, ranking: d.ranking ?? [] });
        setOrder([]);
      } else setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<RankedEntry> = [
    { title: t('selection.rank'), dataIndex: 'rank', key: 'rank', width: 70 },
    { title: t('selection.unit'), dataIndex: 'subjectName', key: 'subject' },
    { title: t('selection.score'), dataIndex: 'score', key: 'score', width: 90 },
    {
      title: t('selection.result'),
      key: 'selected',
      width: 100,
      render: (_: unknown, r) =>
        r.selected ? <Tag color="green">{t('selection.selected')}</Tag> : <Tag>{t('selection.notSelected')}</Tag>,
    },
    { title: t('selection.reason'), dataIndex: 'reason', key: 'reason' },
  ];

  return (
    <PageContainer
      title={t('selection.title')}
      subTitle={t('selection.subtitle')}
      extra={
        <CampaignPicker
          value={campaignId}
          options={options}
          loading={campaigns.loading}
          onChange={setCampaignId}
          testId="selection-campaign"
        />
      }
    >
      {(error || campaigns.error) && <ErrorBox error={(error ?? campaigns.error)!} onRetry={reload} />}
      {!campaigns.loading && !options.length && <Empty description={t('selection.noCampaign')} />}
      {campaign && (
        <Card style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" initialValues={{ categoryCode: campaign.categories[0]?.code, capacity: 1 }}>
            <Form.Item name="categoryCode" label={t('selection.category')} rules={[{ required: true }]}>
              <Select style={{ width: 220 }} options={campaign.categories.map((c) => ({ value: c.code, label: c.name }))} />
            </Form.Item>
            <Form.Item
              name="capacity"
              label={t('selection.capacity')}
              rules={[{ required: true, message: t('selection.capacityRequired') }]}
            >
              <InputNumber min={1} max={10000} precision={0} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" loading={busy} onClick={() => run()} data-testid="selection-run">
                {t('selection.run', { stars: data?.stars ?? 4 })}
              </Button>
            </Form.Item>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('selection.hint', { stars: data?.stars ?? 4 })}
          </Typography.Paragraph>
        </Card>
      )}
      {failure && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setFailure(null)}
          style={{ marginBottom: 16 }}
          title={failure}
          data-testid="selection-error"
        />
      )}
      {tie && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={tie.tie.message}
          data-testid="selection-tie"
          description={
            <Space orientation="vertical" style={{ width: '100%' }}>
              <span>{t('selection.tieHint')}</span>
              <Select<number[]>
                mode="multiple"
                style={{ width: '100%' }}
                value={order}
                onChange={setOrder}
                placeholder={t('selection.tieOrder')}
                options={tie.tie.applicationIds.map((id) => ({
                  value: id,
                  label: tie.ranking.find((r) => r.applicationId === id)?.subjectName ?? t('selection.applicationNo', { id }),
                }))}
              />
              <Button
                type="primary"
                disabled={order.length !== tie.tie.applicationIds.length}
                loading={busy}
                onClick={() => run(order)}
                data-testid="selection-run-tiebreak"
              >
                {t('selection.runWithOrder')}
              </Button>
            </Space>
          }
        />
      )}
      {data && data.selections.length === 0 && !loading && <Empty description={t('selection.none')} />}
      {data?.selections.map((s) => (
        <Card
          key={s.id}
          style={{ marginBottom: 16 }}
          title={t('selection.cardTitle', {
            category: campaign?.categories.find((c) => c.code === s.categoryCode)?.name ?? s.categoryCode,
            stars: s.stars,
            n: s.selectedCount,
            capacity: s.capacity,
          })}
          extra={<Typography.Text type="secondary">{s.decidedAt.slice(0, 16).replace('T', ' ')}</Typography.Text>}
          styles={{ body: { padding: 0 } }}
          data-testid={`selection-${s.categoryCode}`}
        >
          <Table<RankedEntry>
            rowKey="applicationId"
            columns={columns}
            dataSource={s.ranking}
            pagination={false}
            scroll={{ x: 'max-content' }}
          />
        </Card>
      ))}
    </PageContainer>
  );
}
