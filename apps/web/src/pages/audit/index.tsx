import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { ROLE_LABELS, type Role } from '@pingan/core';
import { AUDIT_EXPORT_MAX } from '@pingan/contract';
import {
  AUDITED_ACTIONS,
  OBJECT_TYPES,
  actionLabel,
  auditXlsxUrl,
  fmtBeijing,
  listAudit,
  purgeAudit,
  verifyAudit,
  type AuditFilterValues,
  type AuditItem,
  type AuditVerifyResult,
} from '../../api/audit';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';

const PAGE_SIZE = 50;
type Result = 'ok' | 'denied' | 'failed';
const RESULT_COLOR: Record<Result, string> = { ok: 'green', denied: 'orange', failed: 'red' };

interface FormState {
  range: [Dayjs | null, Dayjs | null] | null;
  username: string;
  action?: string;
  result?: Result;
  objectType?: string;
  objectId: string;
}
const EMPTY: FormState = { range: null, username: '', objectId: '' };

function filtersOf(f: FormState): AuditFilterValues {
  return {
    from: f.range?.[0]?.format('YYYY-MM-DD'),
    to: f.range?.[1]?.format('YYYY-MM-DD'),
    username: f.username.trim() || undefined,
    action: f.action,
    result: f.result,
    objectType: f.objectType,
    objectId: f.objectId.trim() || undefined,
  };
}

/** 审计日志: the audit administrator's page: filters, the paged trail, Excel export, the integrity check and the purge. */
export default function AuditPage() {
  const { t, lang, pick } = useI18n();
  const { message } = App.useApp();
  const [form, setForm] = useState<FormState>(EMPTY);
  const [applied, setApplied] = useState<AuditFilterValues>({});
  const [page, setPage] = useState(1);
  // later pages stay on the rows the first page saw: looking at the trail adds rows of its own
  const [pin, setPin] = useState<number | undefined>(undefined);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null);
  const [purgeOpen, setPurgeOpen] = useState(false);
  const [purgeBefore, setPurgeBefore] = useState<Dayjs | null>(null);
  const [purging, setPurging] = useState(false);

  const list = useAsync(
    () => listAudit({ ...applied, untilId: pin, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [applied, page, pin],
  );

  const search = (next: FormState) => {
    setApplied(filtersOf(next));
    setPage(1);
    setPin(undefined);
  };
  const refresh = () => {
    setPage(1);
    setPin(undefined);
    list.reload();
  };
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerified(await verifyAudit());
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setVerifying(false);
    }
  };

  const runPurge = async () => {
    if (!purgeBefore) return;
    setPurging(true);
    try {
      const r = await purgeAudit(purgeBefore.format('YYYY-MM-DD'));
      if (r.purged > 0) message.success(t('audit.purgeDone', { n: r.purged, cutoff: fmtBeijing(r.cutoff) }));
      else message.info(t('audit.purgeNone'));
      setPurgeOpen(false);
      setPurgeBefore(null);
      setVerified(null);
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setPurging(false);
    }
  };

  const columns: ColumnsType<AuditItem> = [
    {
      title: t('audit.time'),
      dataIndex: 'at',
      width: 215,
      render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{fmtBeijing(at)}</span>,
    },
    {
      title: t('audit.account'),
      key: 'account',
      width: 140,
      render: (_: unknown, r) =>
        r.username ? (
          <Space orientation="vertical" size={0}>
            <span>{r.username}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.role ? pick(ROLE_LABELS[r.role as Role]) || r.role : r.userId === null ? t('audit.typed') : ''}
            </Typography.Text>
          </Space>
        ) : (
          t('common.none')
        ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 120, render: (ip: string | null) => ip ?? t('common.none') },
    {
      title: t('audit.userAgent'),
      dataIndex: 'userAgent',
      width: 150,
      ellipsis: { showTitle: false },
      render: (ua: string | null) => (
        <Tooltip title={ua} placement="topLeft">
          {ua ?? t('common.none')}
        </Tooltip>
      ),
    },
    {
      title: t('audit.action'),
      key: 'action',
      render: (_: unknown, r) => {
        const kind = r.detail?.kind;
        return (
          <Space orientation="vertical" size={0}>
            <span>
              {actionLabel(r.action, lang)}
              {(kind === 'export' || kind === 'download') && (
                <Tag style={{ marginInlineStart: 6 }} color="blue">
                  {t(`audit.kind.${kind}`)}
                </Tag>
              )}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.action}
            </Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('audit.object'),
      key: 'object',
      width: 120,
      render: (_: unknown, r) => (r.objectType ? `${r.objectType}${r.objectId ? ` #${r.objectId}` : ''}` : t('common.none')),
    },
    {
      title: t('audit.result'),
      key: 'result',
      width: 170,
      render: (_: unknown, r) => {
        const code = typeof r.detail?.code === 'string' ? r.detail.code : null;
        const status = typeof r.detail?.status === 'number' ? r.detail.status : null;
        return (
          <Space size={4} wrap>
            <Tag color={RESULT_COLOR[r.result]}>{t(`audit.result.${r.result}`)}</Tag>
            {status !== null && <Typography.Text type="secondary">{status}</Typography.Text>}
            {code && <Typography.Text code>{code}</Typography.Text>}
          </Space>
        );
      },
    },
  ];

  const exportUrl = auditXlsxUrl({ ...applied, untilId: pin ?? list.data?.untilId });

  return (
    <PageContainer
      title={t('audit.title')}
      subTitle={t('audit.subtitle')}
      extra={
        <Space wrap>
          <Tooltip title={t('audit.exportHint', { max: AUDIT_EXPORT_MAX })}>
            <Button href={exportUrl} data-testid="audit-export">
              {t('audit.export')}
            </Button>
          </Tooltip>
          <Button onClick={runVerify} loading={verifying} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
          <Button danger onClick={() => setPurgeOpen(true)} data-testid="audit-purge">
            {t('audit.purge')}
          </Button>
        </Space>
      }
    >
      {verified && (
        <Alert
          style={{ marginBottom: 16 }}
          closable
          onClose={() => setVerified(null)}
          type={verified.firstBroken ? 'error' : 'success'}
          showIcon
          data-testid="audit-verify-result"
          title={
            verified.firstBroken
              ? t('audit.verifyBroken', {
                  rows: verified.rows,
                  id: verified.firstBroken.id,
                  reason: t(`audit.reason.${verified.firstBroken.reason}`),
                })
              : t('audit.verifyOk', { rows: verified.rows })
          }
        />
      )}
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Card styles={{ body: { paddingBottom: 8 } }}>
        <Space wrap style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            value={form.range}
            onChange={(v) => set({ range: v ? [v[0], v[1]] : null })}
            placeholder={[t('audit.range'), t('audit.range')]}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            data-testid="audit-range"
          />
          <Input
            style={{ width: 150 }}
            allowClear
            placeholder={t('audit.username')}
            value={form.username}
            maxLength={64}
            onChange={(e) => set({ username: e.target.value })}
            onPressEnter={() => search(form)}
            data-testid="audit-username"
          />
          <Select<string>
            style={{ width: 260 }}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.allActions')}
            value={form.action}
            onChange={(v) => set({ action: v })}
            options={AUDITED_ACTIONS.map((a) => ({ value: a.id, label: `${lang === 'zh-CN' ? a.zh : a.en} · ${a.id}` }))}
            data-testid="audit-action"
          />
          <Select<Result>
            style={{ width: 120 }}
            allowClear
            placeholder={t('audit.allResults')}
            value={form.result}
            onChange={(v) => set({ result: v })}
            options={(['ok', 'denied', 'failed'] as const).map((r) => ({ value: r, label: t(`audit.result.${r}`) }))}
            data-testid="audit-result"
          />
          <Select<string>
            style={{ width: 160 }}
            allowClear
            placeholder={t('audit.allObjectTypes')}
            value={form.objectType}
            onChange={(v) => set({ objectType: v })}
            options={OBJECT_TYPES.map((o) => ({ value: o, label: o }))}
            data-testid="audit-object-type"
          />
          <Input
            style={{ width: 120 }}
            allowClear
            placeholder={t('audit.objectId')}
            value={form.objectId}
            maxLength={64}
            onChange={(e) => set({ objectId: e.target.value })}
            onPressEnter={() => search(form)}
            data-testid="audit-object-id"
          />
          <Button type="primary" onClick={() => search(form)} data-testid="audit-search">
            {t('audit.search')}
          </Button>
          <Button
            onClick={() => {
              setForm(EMPTY);
              search(EMPTY);
            }}
          >
            {t('audit.reset')}
          </Button>
          <Button onClick={refresh} data-testid="audit-refresh">
            {t('audit.refresh')}
          </Button>
        </Space>
        {pin !== undefined && list.data?.items[0] && page > 1 && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('audit.pinned', { time: fmtBeijing(list.data.items[0].at) })}
          </Typography.Paragraph>
        )}
        <Table<AuditItem>
          rowKey="id"
          size="small"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('audit.empty') }}
          data-testid="audit-table"
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => t('common.total', { n }),
            onChange: (p) => {
              if (pin === undefined && list.data) setPin(list.data.untilId);
              setPage(p);
            },
          }}
        />
      </Card>
      <Modal
        open={purgeOpen}
        title={t('audit.purgeTitle')}
        okText={t('audit.purgeConfirm')}
        okButtonProps={{ danger: true, disabled: !purgeBefore, loading: purging, 'data-testid': 'audit-purge-confirm' }}
        cancelText={t('common.cancel')}
        onOk={runPurge}
        onCancel={() => setPurgeOpen(false)}
        destroyOnHidden
      >
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('audit.purgeHint')} />
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('audit.purgeBefore')}</Typography.Text>
          <DatePicker
            value={purgeBefore}
            onChange={setPurgeBefore}
            placeholder={t('audit.purgeChoose')}
            style={{ width: '100%' }}
            data-testid="audit-purge-before"
          />
        </Space>
      </Modal>
    </PageContainer>
  );
}
