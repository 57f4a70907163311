import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { useT } from '../../../locales';

/** Asks for the reason that 退回修改 and 不予通过 require. */
export default function ReasonModal({
  title,
  okText,
  busy,
  onOk,
  onCancel,
}: {
  title: string;
  okText: string;
  busy: boolean;
  onOk: (reason: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const empty = !reason.trim();
  return (
    <Modal
      open
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ danger: true, 'data-testid': 'reason-ok' }}
      onOk={() => {
        setTouched(true);
        if (!empty) onOk(reason.trim());
      }}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form layout="vertical" component="div">
        <Form.Item
          required
          validateStatus={touched && empty ? 'error' : undefined}
          help={touched && empty ? t('review.reasonRequired') : undefined}
        >
          <Input.TextArea
            autoFocus
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('review.reasonPlaceholder')}
            autoSize={{ minRows: 4, maxRows: 10 }}
            maxLength={2000}
            showCount
            data-testid="reason-input"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
