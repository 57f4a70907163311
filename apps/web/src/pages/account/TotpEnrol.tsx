import { useState } from 'react';
import { Alert, Button, Form, Input, QRCode, Space, Steps, Typography } from 'antd';
import { confirmTotp, setupTotp, type TotpSetup } from '../../api/account';
import { errorMessage } from '../../api/client';
import { useI18n } from '../../locales';

/** The base32 secret in groups of four, easier to type by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** Six digits typed in any way (spaces, full-width digits are not expected): keep the digits. */
export const cleanCode = (s: string) => s.replace(/\D/g, '').slice(0, 6);

/** A six-digit code input: numeric keyboard on phones, the browser may fill it from an SMS/app. */
export function CodeInput({
  value,
  onChange,
  testId,
  autoFocus,
}: {
  value?: string;
  onChange?: (v: string) => void;
  testId: string;
  autoFocus?: boolean;
}) {
  return (
    <Input
      value={value}
      onChange={(e) => onChange?.(cleanCode(e.target.value))}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      placeholder="000000"
      style={{ width: 160, letterSpacing: 6, fontSize: 20, textAlign: 'center' }}
      autoFocus={autoFocus}
      data-testid={testId}
    />
  );
}

/**
 * Sets up the second factor: a new secret shown as a QR code (otpauth URI) and as text, then a
 * first code from the app turns it on. Nothing changes until the code is confirmed.
 */
export function TotpEnrol({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [code, setCode] = useState('');

  const start = async () => {
    setBusy(true);
    setErr(null);
    try {
      setSetup(await setupTotp());
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (code.length !== 6) {
      setErr(t('account.totp.codeSix'));
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      await confirmTotp(code);
      onDone();
    } catch (e) {
      setErr(errorMessage(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="totp-enrol" data-testid="totp-enrol">
      <Steps
        orientation="vertical"
        size="small"
        current={setup ? 1 : 0}
        items={[
          { title: t('account.totp.step1'), content: t('account.totp.step1Body') },
          { title: t('account.totp.step2'), content: t('account.totp.step2Body') },
          { title: t('account.totp.step3'), content: t('account.totp.step3Body') },
        ]}
      />
      {err && !setup && <Alert type="error" showIcon title={err} style={{ margin: '12px 0' }} data-testid="totp-error" />}
      {!setup ? (
        <Space wrap>
          <Button type="primary" onClick={start} loading={busy} data-testid="totp-start">
            {t('account.totp.start')}
          </Button>
          {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        </Space>
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center' }}>
            <div data-testid="totp-qr" style={{ background: '#fff', display: 'inline-block' }}>
              <QRCode value={setup.otpauthUri} size={200} bordered errorLevel="L" />
            </div>
            <div style={{ minWidth: 0, flex: '1 1 200px' }}>
              <Typography.Text type="secondary">{t('account.totp.secretLabel')}</Typography.Text>
              <Typography.Paragraph copyable={{ text: setup.secret }} style={{ margin: 0, wordBreak: 'break-all' }}>
                <Typography.Text code data-testid="totp-secret" data-secret={setup.secret}>
                  {grouped(setup.secret)}
                </Typography.Text>
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('account.totp.secretHint')}
              </Typography.Text>
            </div>
          </div>
          {err && <Alert type="error" showIcon title={err} data-testid="totp-error" />}
          <Form layout="inline" onFinish={confirm} style={{ rowGap: 8 }}>
            <Form.Item label={t('account.totp.code')} style={{ marginBottom: 0 }}>
              <CodeInput value={code} onChange={setCode} testId="totp-code" autoFocus />
            </Form.Item>
            <Form.Item style={{ marginBottom: 0 }}>
              <Space wrap>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-confirm">
                  {t('account.totp.confirm')}
                </Button>
                {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
              </Space>
            </Form.Item>
          </Form>
        </Space>
      )}
    </div>
  );
}
