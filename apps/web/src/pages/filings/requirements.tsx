import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { FILER_KINDS, FILING_KINDS, type FilerKind, type FilingKind } from '@pingan/core';
import { errorMessage } from '../../api/client';
import {
  createFromPlan,
  createRequirement,
  deleteRequirement,
  listRequirements,
  updateRequirement,
  type FilingRequirement,
} from '../../api/filings';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { KindTag } from './tags';

interface FormValues {
  kind: FilingKind;
  filers: FilerKind;
  title: string;
  dueOn: dayjs.Dayjs;
  text?: string;
}

/** 报备要求: the campaign's office creates them by hand or from the encoded plan; edits or removes while nothing was filed. */
export default function RequirementsCard({
  campaignId,
  canManage,
  onChange,
}: {
  campaignId: number;
  canManage: boolean;
  onChange(): void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const list = useAsync(() => listRequirements(campaignId), [campaignId]);
  const [editing, setEditing] = useState<FilingRequirement | 'new' | null>(null);
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const changed = () => {
    list.reload();
    onChange();
  };
  const run = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) message.success(ok);
      changed();
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };
  const openForm = (r: FilingRequirement | 'new') => {
    setEditing(r);
    form.setFieldsValue(
      r === 'new'
        ? { kind: 'plan', filers: 'county', title: '', dueOn: dayjs(), text: '' }
        : { kind: r.kind, filers: r.filers, title: r.title, dueOn: dayjs(r.dueOn), text: r.text ?? '' },
    );
  };
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    const body = { title: v.title, dueOn: v.dueOn.format('YYYY-MM-DD'), text: v.text || null };
    const ok = await run(() =>
      editing === 'new'
        ? createRequirement({ ...body, campaignId, kind: v.kind, filers: v.filers })
        : updateRequirement((editing as FilingRequirement).id, body),
    );
    setSaving(false);
    if (ok) setEditing(null);
  };

  const columns: ColumnsType<FilingRequirement> = [
    { title: t('filings.col.kind'), dataIndex: 'kind', width: 110, render: (k: FilingKind) => <KindTag kind={k} /> },
    {
      title: t('filings.field.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (v: string, r) => <Tooltip title={r.text}>{v}</Tooltip>,
    },
    { title: t('filings.col.filers'), dataIndex: 'filers', width: 110, render: (f: FilerKind) => t(`filings.filers.${f}`) },
    { title: t('filings.col.dueOn'), dataIndex: 'dueOn', width: 110 },
    {
      title: t('filings.col.progress'),
      key: 'progress',
      width: 220,
      render: (_, r) => (
        <span>
          {t('filings.state.accepted')} {r.counts.accepted} · {t('filings.state.submitted')} {r.counts.submitted} ·{' '}
          {t('filings.state.not_filed')} {r.counts.not_filed}
          {r.counts.late > 0 && (
            <span style={{ color: '#cf1322' }}>
              {' '}
              · {t('filings.late')} {r.counts.late}
            </span>
          )}
          <span className="muted"> / {r.filerCount}</span>
        </span>
      ),
    },
    ...(canManage
      ? [
          {
            title: t('filings.col.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, r: FilingRequirement) =>
              r.locked ? (
                <span className="muted">{t('filings.locked')}</span>
              ) : (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => openForm(r)}>
                    {t('filings.editRequirement')}
                  </Button>
                  <Popconfirm title={t('filings.deleteConfirm')} onConfirm={() => run(() => deleteRequirement(r.id))}>
                    <Button size="small" type="link" danger>
                      {t('filings.deleteRequirement')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('filings.requirements')}
      extra={
        canManage && (
          <Space wrap>
            <Tooltip title={t('filings.fromPlanHint')}>
              <Button
                onClick={() =>
                  void run(async () => message.success(t('filings.fromPlanDone', { n: (await createFromPlan(campaignId)).created })))
                }
                data-testid="filings-from-plan"
              >
                {t('filings.fromPlan')}
              </Button>
            </Tooltip>
            <Button type="primary" onClick={() => openForm('new')} data-testid="filings-new-requirement">
              {t('filings.newRequirement')}
            </Button>
          </Space>
        )
      }
    >
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Table<FilingRequirement>
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('filings.matrix.empty') }}
        data-testid="filings-requirements"
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('filings.newRequirement') : t('filings.editRequirement')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        confirmLoading={saving}
        destroyOnHidden
      >
        {editing === 'new' && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('filings.fromPlanHint')} />}
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('filings.field.kind')} rules={[{ required: true }]}>
            <Select disabled={editing !== 'new'} options={FILING_KINDS.map((k) => ({ value: k, label: t(`filings.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="filers" label={t('filings.field.filers')} rules={[{ required: true }]}>
            <Select disabled={editing !== 'new'} options={FILER_KINDS.map((k) => ({ value: k, label: t(`filings.filers.${k}`) }))} />
          </Form.Item>
          <Form.Item name="title" label={t('filings.field.title')} rules={[{ required: true, whitespace: true, max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="dueOn" label={t('filings.field.dueOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="text" label={t('filings.field.text')} rules={[{ max: 5000 }]}>
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
