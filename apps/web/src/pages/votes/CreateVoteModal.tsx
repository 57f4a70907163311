import { useEffect, useMemo, useState } from 'react';
import { Alert, Checkbox, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { votesApi } from '@pingan/contract';
import { call, errorMessage } from '../../api/client';
import { listCampaigns } from '../../api/campaigns';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';

interface Values {
  campaignId: number;
  categoryCode: string;
  applicationIds: number[];
  title: string;
  body?: string;
  period: [Dayjs, Dayjs];
  maxChoices: number;
  weightPercent: number;
}

/** 发起网络评选: a campaign of this office with a vote step, a category, its candidates at the step, the settings. */
export default function CreateVoteModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: number) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const campaigns = useAsync(() => (open ? listCampaigns() : Promise.resolve([])), [open]);
  const mine = (campaigns.data ?? []).filter((c) => c.owned && c.status === 'active' && c.chain.steps.some((s) => s.kind === 'vote'));
  const campaignId = Form.useWatch('campaignId', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const chosen = Form.useWatch('applicationIds', form) ?? [];
  const cands = useAsync(() => (campaignId ? call(votesApi.candidates, { query: { campaignId } }) : Promise.resolve(null)), [campaignId]);
  const items = useMemo(() => (cands.data?.items ?? []).filter((i) => i.categoryCode === categoryCode), [cands.data, categoryCode]);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);
  // a campaign picked: its first category with candidates, and a title
  useEffect(() => {
    if (!cands.data) return;
    const withItems = cands.data.categories.find((c) => cands.data!.items.some((i) => i.categoryCode === c.code));
    const cat = withItems ?? cands.data.categories[0];
    form.setFieldsValue({ categoryCode: cat?.code, title: `${cands.data.campaign.name}网络评选` });
  }, [cands.data, form]);
  // a category picked: every candidate not already in a vote
  useEffect(() => {
    form.setFieldsValue({ applicationIds: items.filter((i) => !i.inVote).map((i) => i.applicationId) });
  }, [items, form]);

  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const r = await call(votesApi.create, {
        body: {
          campaignId: v.campaignId,
          categoryCode: v.categoryCode,
          applicationIds: v.applicationIds,
          title: v.title.trim(),
          body: v.body?.trim() || null,
          startsOn: v.period[0].format('YYYY-MM-DD'),
          endsOn: v.period[1].format('YYYY-MM-DD'),
          maxChoices: v.maxChoices,
          weightPercent: v.weightPercent,
        },
      });
      onCreated(r.id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('votes.create')}
      onOk={ok}
      onCancel={onClose}
      okText={t('votes.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'vote-create-ok' } as never}
      width={640}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="vote-create-error" />}
      <Form form={form} layout="vertical" initialValues={{ maxChoices: 1, weightPercent: 30, period: [dayjs(), dayjs().add(6, 'day')] }}>
        <Form.Item
          name="campaignId"
          label={t('votes.form.campaign')}
          extra={t('votes.form.campaignHint')}
          rules={[{ required: true, message: t('votes.form.required') }]}
        >
          <Select
            loading={campaigns.loading}
            options={mine.map((c) => ({ value: c.id, label: c.name }))}
            data-testid="vote-form-campaign"
          />
        </Form.Item>
        {cands.data && !cands.data.step && <Alert type="warning" showIcon title={t('votes.form.noStep')} style={{ marginBottom: 12 }} />}
        <Form.Item name="categoryCode" label={t('votes.form.category')} rules={[{ required: true, message: t('votes.form.required') }]}>
          <Select options={(cands.data?.categories ?? []).map((c) => ({ value: c.code, label: c.name }))} />
        </Form.Item>
        <Form.Item
          name="applicationIds"
          label={t('votes.form.candidates', { step: cands.data?.step?.name ?? '' })}
          rules={[{ required: true, type: 'array', min: 1, message: t('votes.form.pickCandidates') }]}
        >
          {items.length ? (
            <Checkbox.Group style={{ width: '100%' }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {items.map((i) => (
                  <Checkbox
                    key={i.applicationId}
                    value={i.applicationId}
                    disabled={!!i.inVote}
                    data-testid={`vote-form-cand-${i.applicationId}`}
                  >
                    <strong>{i.subjectName}</strong> <span className="muted">{i.regionName}</span>
                    {i.ratingPercent !== null && <span className="muted"> · {i.ratingPercent}%</span>}
                    {i.inVote && <Typography.Text type="warning"> · {t('votes.form.inVote', { title: i.inVote })}</Typography.Text>}
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('votes.form.noCandidates')} />
          )}
        </Form.Item>
        <Form.Item
          name="title"
          label={t('votes.form.title')}
          rules={[{ required: true, whitespace: true, min: 4, max: 200, message: t('votes.form.required') }]}
        >
          <Input maxLength={200} data-testid="vote-form-title" />
        </Form.Item>
        <Form.Item name="body" label={t('votes.form.body')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={5000} />
        </Form.Item>
        <Form.Item name="period" label={t('votes.form.period')} rules={[{ required: true, message: t('votes.form.required') }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="maxChoices" label={t('votes.form.maxChoices')} rules={[{ required: true, message: t('votes.form.required') }]}>
            <InputNumber min={1} max={Math.max(1, chosen.length)} precision={0} data-testid="vote-form-max" />
          </Form.Item>
          <Form.Item name="weightPercent" label={t('votes.form.weight')} rules={[{ required: true, message: t('votes.form.required') }]}>
            <InputNumber min={0} max={100} precision={0} data-testid="vote-form-weight" />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('votes.form.weightHint')}
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}
