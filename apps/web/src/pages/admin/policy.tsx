import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Radio, Row, Space, Switch, Typography } from 'antd';
import { POLICY_BOUNDS } from '@pingan/contract';
import { getPolicy, putPolicy, type SecurityPolicy } from '../../api/admin';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import { fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import UnsavedGuard from '../../components/UnsavedGuard';

type Bounded = keyof typeof POLICY_BOUNDS;

const NUMBERS: { key: Bounded; label: MessageKey; help: MessageKey; unit: MessageKey }[] = [
  {
    key: 'lockoutFailures',
    label: 'admin.policy.lockoutFailures',
    help: 'admin.policy.lockoutFailuresHelp',
    unit: 'admin.policy.unit.times',
  },
  {
    key: 'lockoutMinutes',
    label: 'admin.policy.lockoutMinutes',
    help: 'admin.policy.lockoutMinutesHelp',
    unit: 'admin.policy.unit.minutes',
  },
  { key: 'idleMinutes', label: 'admin.policy.idleMinutes', help: 'admin.policy.idleMinutesHelp', unit: 'admin.policy.unit.minutes' },
  { key: 'sessionHours', label: 'admin.policy.sessionHours', help: 'admin.policy.sessionHoursHelp', unit: 'admin.policy.unit.hours' },
];

/** 安全策略: the security administrator's password profile, lockout, session limits and second factor. */
export default function AdminPolicyPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const view = useAsync(getPolicy, []);
  const [form] = Form.useForm<SecurityPolicy>();
  const [saving, setSaving] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const profile = Form.useWatch('passwordProfile', form);

  useEffect(() => {
    if (!view.data) return;
    form.setFieldsValue(view.data.policy);
    setDirty(false);
  }, [view.data, form]);

  const save = async () => {
    let v: SecurityPolicy;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setErr(null);
    try {
      const r = await putPolicy(v);
      form.setFieldsValue(r.policy);
      setDirty(false);
      message.success(t('admin.policy.saved'));
      view.reload();
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const d = view.data;
  return (
    <PageContainer
      title={t('admin.policy.title')}
      subTitle={d?.updatedAt ? t('admin.policy.updated', { at: fmtTime(d.updatedAt), by: d.updatedBy ?? '—' }) : t('admin.policy.subtitle')}
    >
      <UnsavedGuard dirty={dirty} />
      {view.error && <ErrorBox error={view.error} onRetry={view.reload} />}
      {err && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setErr(null)}
          title={t('admin.policy.saveFailed')}
          description={err}
          style={{ marginBottom: 16 }}
          data-testid="policy-error"
        />
      )}
      <Form<SecurityPolicy>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={!d}
        onValuesChange={() => setDirty(true)}
        data-testid="policy-form"
      >
        <Card title={t('admin.policy.passwordTitle')} style={{ marginBottom: 16 }}>
          <Form.Item name="passwordProfile" rules={[{ required: true }]} style={{ marginBottom: 0 }}>
            <Radio.Group style={{ width: '100%' }}>
              <Row gutter={[16, 16]}>
                {(['dengbao', 'asvs'] as const).map((p) => (
                  <Col xs={24} md={12} key={p}>
                    <label
                      className={`policy-profile${profile === p ? ' policy-profile-on' : ''}`}
                      style={{
                        display: 'block',
                        height: '100%',
                        border: `1px solid ${profile === p ? '#c0262d' : '#e5e5e5'}`,
                        borderRadius: 8,
                        padding: 16,
                        cursor: 'pointer',
                      }}
                    >
                      <Radio value={p} data-testid={`policy-profile-${p}`}>
                        <Typography.Text strong>{t(`admin.policy.profile.${p}`)}</Typography.Text>
                      </Radio>
                      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0 24px' }}>
                        {t(`admin.policy.profile.${p}.desc`)}
                      </Typography.Paragraph>
                    </label>
                  </Col>
                ))}
              </Row>
            </Radio.Group>
          </Form.Item>
        </Card>
        <Card title={t('admin.policy.loginTitle')} style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            {NUMBERS.map((n) => {
              const b = POLICY_BOUNDS[n.key];
              return (
                <Col xs={24} md={12} key={n.key}>
                  <Form.Item
                    name={n.key}
                    label={t(n.label)}
                    extra={t(n.help, { min: b.min, max: b.max })}
                    rules={[
                      { required: true, message: t('admin.policy.required', { label: t(n.label) }) },
                      {
                        type: 'integer',
                        min: b.min,
                        max: b.max,
                        message: t('admin.policy.range', { label: t(n.label), min: b.min, max: b.max }),
                      },
                    ]}
                  >
                    <InputNumber style={{ width: 200, maxWidth: '100%' }} suffix={t(n.unit)} data-testid={`policy-${n.key}`} />
                  </Form.Item>
                </Col>
              );
            })}
          </Row>
        </Card>
        <Card title={t('admin.policy.totpTitle')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('admin.policy.totpHelp')}</Typography.Paragraph>
          <Space orientation="vertical" size={12}>
            <Space>
              <Form.Item name="totpRequiredForStaff" valuePropName="checked" noStyle>
                <Switch data-testid="policy-totp-staff" />
              </Form.Item>
              <span>{t('admin.policy.totpStaff')}</span>
            </Space>
            <Space>
              <Form.Item name="totpRequiredForAdmins" valuePropName="checked" noStyle>
                <Switch data-testid="policy-totp-admins" />
              </Form.Item>
              <span>{t('admin.policy.totpAdmins')}</span>
            </Space>
          </Space>
        </Card>
        <Space wrap>
          <Button type="primary" onClick={save} loading={saving} disabled={!dirty} data-testid="policy-save">
            {t('admin.policy.save')}
          </Button>
          <Button
            onClick={() => {
              if (!d) return;
              form.setFieldsValue(d.defaults);
              setDirty(true);
            }}
            data-testid="policy-defaults"
          >
            {t('admin.policy.useDefaults')}
          </Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
