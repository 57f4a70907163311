import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Form, Modal, Select, Typography } from 'antd';
import { createApplication } from '../../../api/applications';
import { listCampaigns } from '../../../api/campaigns';
import { ApiError, errorMessage } from '../../../api/client';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { useMe } from '../../../auth/AuthContext';
import type { CampaignCategory } from '../../../api/types';
import { today } from '../../../utils/format';

interface Values {
  campaignId?: number;
  categoryCode?: string;
}

/** The applicant picks a campaign and a category; the application is created and opened. */
export default function NewApplicationModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const campaigns = useAsync(listCampaigns, []);
  const campaignId = Form.useWatch('campaignId', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; existingId?: number } | null>(null);

  const open = useMemo(() => (campaigns.data ?? []).filter((c) => c.applyDeadline >= today()), [campaigns.data]);
  const campaign = open.find((c) => c.id === campaignId);
  const me = useMe();
  // only the categories this applicant's kind of subject may hold
  const fits = (c: CampaignCategory) =>
    !me.subject ||
    (c.subjectKinds.includes(me.subject.kind) &&
      (me.subject.kind !== 'unit' || !c.unitTypes.length || c.unitTypes.includes(me.subject.unitType ?? '')));

  const onOk = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const r = await createApplication(v.campaignId!, v.categoryCode!);
      navigate(`/applications/${r.id}`);
    } catch (e) {
      const existing =
        e instanceof ApiError && e.code === 'DUPLICATE' && typeof e.details === 'object' && e.details !== null && 'id' in e.details
          ? Number((e.details as { id: unknown }).id)
          : undefined;
      setError({ message: errorMessage(e), existingId: existing });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('newApp.title')}
      onCancel={onClose}
      onOk={() => void onOk()}
      okText={t('newApp.create')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'new-application-ok' }}
      destroyOnHidden
    >
      {campaigns.error && <Alert type="error" showIcon title={campaigns.error.message} style={{ marginBottom: 12 }} />}
      {!campaigns.loading && open.length === 0 && (
        <Alert type="info" showIcon title={t('newApp.noCampaign')} style={{ marginBottom: 12 }} />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.message}
          style={{ marginBottom: 12 }}
          data-testid="new-application-error"
          action={
            error.existingId ? (
              <Button size="small" onClick={() => navigate(`/applications/${error.existingId}`)}>
                {t('newApp.openExisting')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Form<Values> form={form} layout="vertical">
        <Form.Item name="campaignId" label={t('newApp.campaign')} rules={[{ required: true, message: t('newApp.campaignRequired') }]}>
          <Select
            loading={campaigns.loading}
            data-testid="new-application-campaign"
            options={open.map((c) => ({ value: c.id, label: c.name }))}
            onChange={() => form.setFieldValue('categoryCode', undefined)}
          />
        </Form.Item>
        {campaign && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
            {t('newApp.deadline', { date: campaign.applyDeadline })}
          </Typography.Paragraph>
        )}
        <Form.Item name="categoryCode" label={t('newApp.category')} rules={[{ required: true, message: t('newApp.categoryRequired') }]}>
          <Select
            disabled={!campaign}
            data-testid="new-application-category"
            options={(campaign?.categories ?? []).filter(fits).map((c) => ({ value: c.code, label: `${c.name}（${c.standardTitle}）` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
