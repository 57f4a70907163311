import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { loginWithCode } from '../../api/account';
import { ApiError, errorMessage } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { homePath } from '../../access';
import { useT, type MessageKey } from '../../locales';
import LangSwitch from '../../components/LangSwitch';
import { CodeInput } from '../account/TotpEnrol';

const DEMO_PASSWORD = 'Pingan@2026';
const DEMO_ACCOUNTS: { username: string; note: MessageKey }[] = [
  { username: 'city_office', note: 'login.demo.city_office' },
  { username: 'city_edu', note: 'login.demo.city_edu' },
  { username: 'expert_zhou', note: 'login.demo.expert_zhou' },
  { username: 'school_nm', note: 'login.demo.school_nm' },
  { username: 'family_wang', note: 'login.demo.family_wang' },
  { username: 'sysadmin', note: 'login.demo.sysadmin' },
  { username: 'secadmin', note: 'login.demo.secadmin' },
  { username: 'auditor', note: 'login.demo.auditor' },
];

interface LoginValues {
  username: string;
  password: string;
}

/** Only same-site paths are followed after login. */
function safeRedirect(r: string | null): string | null {
  return r && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login') ? r : null;
}

export default function LoginPage() {
  const t = useT();
  const { me, refresh } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** set once the password was right and the account has a second factor: the code is asked next */
  const [otpStep, setOtpStep] = useState<{ username: string; password: string } | null>(null);
  const [code, setCode] = useState('');
  const redirect = safeRedirect(params.get('redirect'));

  if (me) return <Navigate to={redirect ?? homePath(me.role)} replace />;

  const signIn = async (username: string, password: string, otp?: string) => {
    setBusy(true);
    setError(null);
    try {
      await loginWithCode(username, password, otp);
      const m = await refresh();
      if (m) navigate(redirect ?? homePath(m.role), { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'OTP_REQUIRED' && !otp) {
        // the password was right; the account has a second factor
        setOtpStep({ username, password });
        setCode('');
      } else {
        setError(errorMessage(e));
        if (otp) setCode('');
      }
    } finally {
      setBusy(false);
    }
  };

  const onFinish = (v: LoginValues) => signIn(v.username.trim(), v.password);
  const onOtp = () => {
    if (!otpStep) return;
    if (code.length !== 6) return setError(t('account.totp.codeSix'));
    void signIn(otpStep.username, otpStep.password, code);
  };

  return (
    <div className="login-page">
      <div className="login-top">
        <LangSwitch dark />
      </div>
      <div className="login-hero">
        <div className="login-seal" aria-hidden>
          安
        </div>
        <h1 className="login-title">{t('app.name')}</h1>
        <p className="login-slogan">{t('app.slogan')}</p>
      </div>
      <div className="login-panels">
        <Card className="login-card" title={t('login.title')}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          {otpStep && (
            <Form layout="vertical" onFinish={onOtp} requiredMark={false} size="large" data-testid="login-otp-step">
              <Typography.Paragraph>{t('login.otpHint', { username: otpStep.username })}</Typography.Paragraph>
              <Form.Item label={t('login.otp')}>
                <CodeInput value={code} onChange={setCode} testId="login-otp" autoFocus />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-otp-submit">
                {t('login.otpSubmit')}
              </Button>
              <Button
                type="link"
                block
                onClick={() => {
                  setOtpStep(null);
                  setError(null);
                }}
                style={{ marginTop: 8 }}
              >
                {t('login.otpBack')}
              </Button>
            </Form>
          )}
          <Form<LoginValues>
            form={form}
            layout="vertical"
            onFinish={onFinish}
            requiredMark={false}
            size="large"
            style={otpStep ? { display: 'none' } : undefined}
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input autoComplete="username" data-testid="login-username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          <div className="login-links">
            {/* the public pages are a page of their own (public.html): a full load, not a route of this app */}
            <a href="/public" data-testid="public-link">
              {t('login.publicLink')}
            </a>
            <a href="/verify">{t('login.verifyLink')}</a>
          </div>
        </Card>
        <Card className="login-demo" size="small" title={t('login.demoTitle')} data-testid="demo-accounts">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('login.demoHint')}
          </Typography.Paragraph>
          <ul className="demo-list">
            {DEMO_ACCOUNTS.map((a) => (
              <li key={a.username}>
                <button
                  type="button"
                  className="demo-account"
                  onClick={() => {
                    setOtpStep(null);
                    form.setFieldsValue({ username: a.username, password: DEMO_PASSWORD });
                  }}
                >
                  <code>{a.username}</code>
                  <span>{t(a.note)}</span>
                </button>
              </li>
            ))}
          </ul>
          <Typography.Text type="secondary">{t('login.demoPassword', { pw: DEMO_PASSWORD })}</Typography.Text>
        </Card>
      </div>
      <footer className="login-footer">{t('app.footer')}</footer>
    </div>
  );
}
