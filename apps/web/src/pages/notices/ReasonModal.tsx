import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { useT } from '../../locales';

/** A confirmation that asks for a reason (撤销/撤回/退回) and shows the server's refusal in place. */
export default function ReasonModal({
  open,
  title,
  hint,
  testId,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  hint?: string;
  testId: string;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);

  const ok = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onOk={ok}
      onCancel={onClose}
      okText={t('reason.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ danger: true, 'data-testid': `${testId}-ok` } as never}
      destroyOnHidden
    >
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid={`${testId}-error`} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('reason.label')}
          rules={[{ required: true, whitespace: true, message: t('reason.required') }, { max: 500 }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 6 }}
            maxLength={500}
            showCount
            placeholder={t('reason.placeholder')}
            data-testid={`${testId}-reason`}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
