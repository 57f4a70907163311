import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Radio, Row, Space, Tag, Typography } from 'antd';
import { ROLE_LABELS } from '@pingan/core';
import { disableTotp } from '../../api/account';
import { errorMessage } from '../../api/client';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useI18n } from '../../locales';
import { fmtDate } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import { ChangePasswordForm } from './PasswordForm';
import SessionsCard from './Sessions';
import { CodeInput, TotpEnrol } from './TotpEnrol';

/** 我的账号: every signed-in account's password, second factor and sessions. */
export default function AccountPage() {
  const { t, pick } = useI18n();
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [sessionsKey, setSessionsKey] = useState(0);
  const attached = me.org ? `${me.org.name} · ${me.org.regionName}` : (me.subject?.name ?? null);

  return (
    <PageContainer title={t('account.title')} subTitle={t('account.subtitle')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('account.info')} data-testid="account-info">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('account.username')}>{me.username}</Descriptions.Item>
              <Descriptions.Item label={t('account.displayName')}>{me.displayName}</Descriptions.Item>
              <Descriptions.Item label={t('account.role')}>
                <Tag color="gold">{pick(ROLE_LABELS[me.role])}</Tag>
              </Descriptions.Item>
              {attached && <Descriptions.Item label={t('account.attachedTo')}>{attached}</Descriptions.Item>}
              <Descriptions.Item label={t('account.passwordExpires')}>
                <span data-testid="password-expires">
                  {me.passwordExpiresAt ? fmtDate(me.passwordExpiresAt) : t('account.passwordNoExpiry')}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('account.totp.title')}>
                {me.totpEnabled ? <Tag color="green">{t('account.totp.on')}</Tag> : <Tag>{t('account.totp.off')}</Tag>}
                {me.totpRequired && <Tag color="blue">{t('account.totp.requiredTag')}</Tag>}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('account.changePassword')} data-testid="password-card">
            <ChangePasswordForm
              profile={me.passwordProfile}
              username={me.username}
              onDone={() => {
                message.success(t('account.passwordChanged'));
                void refresh();
                setSessionsKey((k) => k + 1);
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <TotpCard />
        </Col>
        <Col xs={24} xl={12}>
          <SessionsCard reloadKey={sessionsKey} />
        </Col>
      </Row>
    </PageContainer>
  );
}

/** The second factor: set it up, or turn it off with a current code or the password. */
function TotpCard() {
  const { t } = useI18n();
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [enrolling, setEnrolling] = useState(false);
  const [disabling, setDisabling] = useState(false);

  return (
    <Card title={t('account.totp.title')} data-testid="totp-card">
      <Typography.Paragraph type="secondary">{t('account.totp.intro')}</Typography.Paragraph>
      {me.totpEnabled ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Alert type="success" showIcon title={t('account.totp.enabledNote')} data-testid="totp-enabled" />
          {me.totpRequired ? (
            <Typography.Text type="secondary">{t('account.totp.requiredNoDisable')}</Typography.Text>
          ) : (
            <Button danger onClick={() => setDisabling(true)} data-testid="totp-disable">
              {t('account.totp.disable')}
            </Button>
          )}
        </Space>
      ) : enrolling ? (
        <TotpEnrol
          onCancel={() => setEnrolling(false)}
          onDone={() => {
            setEnrolling(false);
            message.success(t('account.totp.enabledDone'));
            void refresh();
          }}
        />
      ) : (
        <Space orientation="vertical" size={12}>
          {me.totpRequired && <Alert type="warning" showIcon title={t('account.totp.requiredNote')} />}
          <Button type="primary" onClick={() => setEnrolling(true)} data-testid="totp-enable">
            {t('account.totp.enable')}
          </Button>
        </Space>
      )}
      <DisableTotpModal
        open={disabling}
        onClose={() => setDisabling(false)}
        onDone={() => {
          setDisabling(false);
          message.success(t('account.totp.disabledDone'));
          void refresh();
        }}
      />
    </Card>
  );
}

function DisableTotpModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [by, setBy] = useState<'code' | 'password'>('code');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  const submit = async () => {
    if (by === 'code' && code.length !== 6) return setErr(t('account.totp.codeSix'));
    if (by === 'password' && !password) return setErr(t('account.currentPasswordRequired'));
    setBusy(true);
    setErr(null);
    try {
      await disableTotp(by === 'code' ? { code } : { password });
      setCode('');
      setPassword('');
      onDone();
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('account.totp.disableTitle')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('account.totp.disable')}
      okButtonProps={{ danger: true, 'data-testid': 'totp-disable-ok' } as never}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('account.totp.disableBody')}</Typography.Paragraph>
      {err && <Alert type="error" showIcon title={err} style={{ marginBottom: 12 }} />}
      <Radio.Group value={by} onChange={(e) => setBy(e.target.value as 'code' | 'password')} style={{ marginBottom: 12 }}>
        <Radio value="code">{t('account.totp.byCode')}</Radio>
        <Radio value="password">{t('account.totp.byPassword')}</Radio>
      </Radio.Group>
      <Form layout="vertical" onFinish={submit}>
        {by === 'code' ? (
          <Form.Item label={t('account.totp.code')}>
            <CodeInput value={code} onChange={setCode} testId="totp-disable-code" autoFocus />
          </Form.Item>
        ) : (
          <Form.Item label={t('account.currentPassword')}>
            <Input.Password
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              data-testid="totp-disable-password"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
