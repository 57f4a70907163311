import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { PASSWORD_PROFILES, characterClasses, passwordLength, type PasswordProfileName } from '@pingan/core';
import { changePassword } from '../../api/account';
import { ApiError, errorMessage } from '../../api/client';
import { useI18n } from '../../locales';

/** The active profile's rules in words (the server checks them again, and the common-password list). */
export function PasswordRules({ profile }: { profile: PasswordProfileName }) {
  const { t } = useI18n();
  const p = PASSWORD_PROFILES[profile];
  const rules = [
    t('account.rule.length', { min: p.minLength, max: p.maxLength }),
    p.minClasses > 0 ? t('account.rule.classes', { n: p.minClasses }) : t('account.rule.anyChars'),
    ...(p.refuseCommon ? [t('account.rule.common')] : []),
    t('account.rule.username'),
    p.expiryDays ? t('account.rule.expiry', { days: p.expiryDays }) : t('account.rule.noExpiry'),
  ];
  return (
    <div className="password-rules" data-testid="password-rules">
      <Typography.Text type="secondary">{t(`account.profile.${profile}`)}</Typography.Text>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20, lineHeight: 1.8 }}>
        {rules.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

/** Problems the browser can see before asking the server (the common-password list stays on the server). */
function localProblems(
  profile: PasswordProfileName,
  password: string,
  username: string,
  t: ReturnType<typeof useI18n>['t'],
): string | null {
  const p = PASSWORD_PROFILES[profile];
  const len = passwordLength(password);
  if (len < p.minLength) return t('account.rule.tooShort', { min: p.minLength });
  if (len > p.maxLength) return t('account.rule.tooLong', { max: p.maxLength });
  if (p.minClasses > 0 && characterClasses(password) < p.minClasses) return t('account.rule.classes', { n: p.minClasses });
  const u = username.trim().toLowerCase();
  if (u.length >= 3 && password.toLowerCase().includes(u)) return t('account.rule.username');
  return null;
}

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change my password: the current one, a new one by the active rules, typed twice. */
export function ChangePasswordForm({
  profile,
  username,
  onDone,
  submitText,
}: {
  profile: PasswordProfileName;
  username: string;
  onDone: () => void;
  submitText?: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<{ title: string; details: string[] } | null>(null);

  const submit = async (v: Values) => {
    setBusy(true);
    setErr(null);
    try {
      await changePassword(v.currentPassword, v.newPassword);
      form.resetFields();
      onDone();
    } catch (e) {
      // PASSWORD_POLICY answers every broken rule in details.problems
      const problems = e instanceof ApiError ? (e.details as { problems?: unknown } | undefined)?.problems : undefined;
      const details = Array.isArray(problems) ? problems.filter((x): x is string => typeof x === 'string') : [];
      setErr({ title: details.length ? t('account.policyRefused') : errorMessage(e), details });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      style={{ maxWidth: 420 }}
      data-testid="password-form"
    >
      <PasswordRules profile={profile} />
      {err && (
        <Alert
          type="error"
          showIcon
          style={{ margin: '12px 0' }}
          title={err.title}
          description={
            err.details.length ? (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {err.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : undefined
          }
          data-testid="password-error"
        />
      )}
      <Form.Item
        name="currentPassword"
        label={t('account.currentPassword')}
        rules={[{ required: true, message: t('account.currentPasswordRequired') }]}
        style={{ marginTop: 12 }}
      >
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        rules={[
          { required: true, message: t('account.newPasswordRequired') },
          {
            validator: (_, value: string | undefined) => {
              if (!value) return Promise.resolve();
              const p = localProblems(profile, value, username, t);
              return p ? Promise.reject(new Error(p)) : Promise.resolve();
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('account.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('account.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.confirmMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
        {submitText ?? t('account.changePassword')}
      </Button>
    </Form>
  );
}
