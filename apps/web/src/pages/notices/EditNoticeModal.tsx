import { useEffect, useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { noticeDateProblems } from '@pingan/core';
import { updateNotice } from '../../api/notices';
import { errorMessage } from '../../api/client';
import { useT } from '../../locales';

interface Editable {
  id: number;
  title: string;
  body: string | null;
  startsOn: string;
  endsOn: string;
  minNoticeDays: number;
  earliestEnd: string;
  revision: number;
}

interface Values {
  title: string;
  body?: string;
  endsOn: Dayjs;
}

/** 编辑公示: title and text, and the end date only later, never below the campaign's minimum. */
export default function EditNoticeModal({
  notice,
  onClose,
  onSaved,
}: {
  notice: Editable | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (notice) {
      form.setFieldsValue({ title: notice.title, body: notice.body ?? '', endsOn: dayjs(notice.endsOn) });
      setError(null);
    }
  }, [notice, form]);

  const ok = async () => {
    if (!notice) return;
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await updateNotice(notice.id, {
        title: v.title.trim(),
        body: v.body?.trim() || null,
        endsOn: v.endsOn.format('YYYY-MM-DD'),
        revision: notice.revision,
      });
      message.success(t('notices.editSaved'));
      onSaved();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={notice !== null}
      title={t('notices.editTitle')}
      onOk={ok}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'notice-edit-ok' } as never}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="notice-edit-error" />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="title"
          label={t('noticeForm.noticeTitle')}
          rules={[
            { required: true, whitespace: true, message: t('noticeForm.titleRequired') },
            { min: 4, message: t('noticeForm.titleMin') },
          ]}
        >
          <Input maxLength={200} data-testid="notice-edit-title" />
        </Form.Item>
        <Form.Item
          name="endsOn"
          label={t('notices.editEndsOn')}
          rules={[
            { required: true },
            {
              validator: async (_, d: Dayjs | undefined) => {
                if (!notice || !d) return;
                const end = d.format('YYYY-MM-DD');
                if (end < notice.endsOn) throw new Error(`${t('notices.editEndsOn')}：≥ ${notice.endsOn}`);
                const problems = noticeDateProblems(notice.startsOn, end, notice.startsOn, notice.minNoticeDays);
                if (problems.length) throw new Error(problems.join('；'));
              },
            },
          ]}
        >
          <DatePicker disabledDate={(d) => !!notice && d.format('YYYY-MM-DD') < notice.endsOn} data-testid="notice-edit-ends" />
        </Form.Item>
        {notice && (
          <Typography.Paragraph type="secondary">
            {t('noticeDetail.minNotice', { n: notice.minNoticeDays, date: notice.earliestEnd })}
          </Typography.Paragraph>
        )}
        <Form.Item name="body" label={t('noticeForm.body')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
