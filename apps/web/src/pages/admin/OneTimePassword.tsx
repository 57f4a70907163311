import { Alert, Button, Descriptions, Modal, Table, Typography } from 'antd';
import { ROLE_LABELS } from '@pingan/core';
import type { ImportReport } from '../../api/admin';
import { useI18n } from '../../locales';

/**
 * A one-time password, shown once: the server answers it only in this response and keeps a hash.
 * The account must set its own password at first login.
 */
export function OneTimePasswordModal({
  shown,
  onClose,
}: {
  shown: { username: string; displayName: string; password: string; reset: boolean } | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={!!shown}
      title={shown?.reset ? t('admin.otp.resetTitle') : t('admin.otp.createdTitle')}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="one-time-close">
          {t('admin.otp.done')}
        </Button>
      }
    >
      {shown && (
        <>
          <Alert
            type="warning"
            showIcon
            title={t('admin.otp.warning')}
            description={t('admin.otp.warningBody')}
            style={{ marginBottom: 16 }}
          />
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('admin.users.username')}>
              <span data-testid="one-time-username">{shown.username}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.users.displayName')}>{shown.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('admin.otp.password')}>
              <Typography.Text
                code
                copyable={{ text: shown.password, tooltips: [t('admin.otp.copy'), t('admin.otp.copied')] }}
                className="one-time-password"
                data-testid="one-time-password"
              >
                {shown.password}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </>
      )}
    </Modal>
  );
}

/** The accounts an import created, each with its one-time password, shown once. */
export function ImportResultModal({ report, onClose }: { report: ImportReport | null; onClose: () => void }) {
  const { t, pick } = useI18n();
  const tsv = report
    ? [
        [t('admin.import.row'), t('admin.users.username'), t('admin.users.displayName'), t('admin.otp.password')].join('\t'),
        ...report.accounts.map((a) => [a.row, a.username, a.displayName, a.oneTimePassword].join('\t')),
      ].join('\n')
    : '';
  return (
    <Modal
      open={!!report}
      title={report ? t('admin.import.doneTitle', { n: report.created }) : ''}
      onCancel={onClose}
      maskClosable={false}
      width={760}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="import-result-close">
          {t('admin.otp.done')}
        </Button>
      }
    >
      {report && (
        <>
          <Alert
            type="warning"
            showIcon
            title={t('admin.otp.warning')}
            description={t('admin.import.warningBody')}
            style={{ marginBottom: 16 }}
          />
          <Typography.Paragraph copyable={{ text: tsv, tooltips: [t('admin.import.copyAll'), t('admin.otp.copied')] }}>
            {t('admin.import.copyAll')}
          </Typography.Paragraph>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content', y: 360 }}
            dataSource={report.accounts}
            data-testid="import-result"
            columns={[
              { title: t('admin.import.row'), dataIndex: 'row', width: 64 },
              { title: t('admin.users.username'), dataIndex: 'username' },
              { title: t('admin.users.displayName'), dataIndex: 'displayName' },
              { title: t('admin.users.role'), key: 'role', render: (_, a) => pick(ROLE_LABELS[a.role]) },
              {
                title: t('admin.otp.password'),
                key: 'pw',
                render: (_, a) => (
                  <Typography.Text code copyable={{ text: a.oneTimePassword }}>
                    {a.oneTimePassword}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
