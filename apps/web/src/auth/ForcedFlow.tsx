import { Alert, App, Button, Card, Space } from 'antd';
import { PASSWORD_PROFILES } from '@pingan/core';
import type { Me } from '../api/types';
import { useI18n } from '../locales';
import LangSwitch from '../components/LangSwitch';
import { ChangePasswordForm } from '../pages/account/PasswordForm';
import { TotpEnrol } from '../pages/account/TotpEnrol';
import type { Forced } from './forced';

/**
 * The only page an account sees while the server demands a new password or a second factor
 * (every other call answers 403 PASSWORD_CHANGE_REQUIRED / TOTP_SETUP_REQUIRED). Done, the app
 * continues where it was going (after login: the account's home).
 */
export default function ForcedFlow({ me, kind, onDone, onSignOut }: { me: Me; kind: Forced; onDone: () => void; onSignOut: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const reason =
    kind === 'totp'
      ? t('account.forced.totpReason')
      : me.passwordExpired
        ? t('account.forced.expiredReason', { days: PASSWORD_PROFILES[me.passwordProfile].expiryDays ?? 90 })
        : t('account.forced.mustReason');

  return (
    <div className="login-page" data-testid={kind === 'password' ? 'forced-password' : 'forced-totp'}>
      <div className="login-top">
        <Space>
          <LangSwitch dark />
          <Button size="small" ghost onClick={onSignOut} data-testid="logout">
            {t('common.logout')}
          </Button>
        </Space>
      </div>
      <div className="login-hero">
        <div className="login-seal" aria-hidden>
          安
        </div>
        <h1 className="login-title">{t('app.name')}</h1>
      </div>
      <div className="login-panels">
        <Card
          className="login-card"
          style={{ width: 520 }}
          title={kind === 'password' ? t('account.forced.passwordTitle') : t('account.forced.totpTitle')}
        >
          <Alert
            type="warning"
            showIcon
            title={t('account.forced.hello', { name: me.displayName, username: me.username })}
            description={reason}
            style={{ marginBottom: 16 }}
          />
          {kind === 'password' ? (
            <ChangePasswordForm
              profile={me.passwordProfile}
              username={me.username}
              submitText={t('account.forced.submit')}
              onDone={() => {
                message.success(t('account.passwordChanged'));
                onDone();
              }}
            />
          ) : (
            <TotpEnrol
              onDone={() => {
                message.success(t('account.totp.enabledDone'));
                onDone();
              }}
            />
          )}
        </Card>
      </div>
      <footer className="login-footer">{t('app.footer')}</footer>
    </div>
  );
}
