import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { App, Button, Card, Empty, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { listCampaigns } from '../../../api/campaigns';
import { errorMessage } from '../../../api/client';
import { getMatrix, matrixXlsxUrl, overrideSignoff, type Matrix, type MatrixCell } from '../../../api/signoffs';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';

type Row = Matrix['rows'][number];
const COLOR = { pending: 'gold', late: 'red', signed: 'green', overridden: 'purple' } as const;
const PAGE = 20;

/** 会签情况: the campaign office's departments × applications, with override for late departments. */
export default function SignoffMatrixPage() {
  const t = useT();
  const { message, notification } = App.useApp();
  const campaigns = useAsync(listCampaigns, []);
  const [campaignId, setCampaignId] = useState<number | undefined>();
  const [state, setState] = useState<'open' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [target, setTarget] = useState<{ cell: MatrixCell; dept: string; subject: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (campaignId === undefined && campaigns.data?.length) setCampaignId(campaigns.data[0]!.id);
  }, [campaigns.data, campaignId]);

  const { data, error, loading, reload } = useAsync(
    () => (campaignId ? getMatrix({ campaignId, state, limit: PAGE, offset: (page - 1) * PAGE }) : Promise.resolve(undefined)),
    [campaignId, state, page],
  );

  const doOverride = async () => {
    if (!target) return;
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await overrideSignoff(target.cell.signoffId, reason.trim());
      message.success(t('signoffs.overridden'));
      setTarget(null);
      reload();
    } catch (e) {
      notification.error({ title: target.subject, description: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const renderCell = (row: Row, d: Matrix['departments'][number]) => {
    const c = row.cells.find((x) => x.orgId === d.orgId);
    const testId = `matrix-cell-${row.application.id}-${d.deptCode}`;
    if (!c) return <span data-testid={testId}>{t('signoffs.notApplicableCell')}</span>;
    const when = c.at ? dayjs(c.at).format('YYYY-MM-DD HH:mm') : '';
    return (
      <Space orientation="vertical" size={2} data-testid={testId} data-state={c.state}>
        <Tooltip title={c.state === 'overridden' ? c.reason : c.comment}>
          <Tag color={COLOR[c.state]}>{t(`signoffs.status.${c.state}`)}</Tag>
        </Tooltip>
        {(c.state === 'signed' || c.state === 'overridden') && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('signoffs.cellSigned', { d: when, by: c.by ?? '' })}
          </Typography.Text>
        )}
        {(c.state === 'pending' || c.state === 'late') && (
          <Typography.Text type={c.state === 'late' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            {c.deadline ? t('signoffs.deadline', { d: c.deadline }) : t('signoffs.noDeadline')}
          </Typography.Text>
        )}
        {c.state === 'late' && (
          <Button
            size="small"
            danger
            onClick={() => setTarget({ cell: c, dept: d.name, subject: row.application.subjectName })}
            data-testid={`matrix-override-${c.signoffId}`}
          >
            {t('signoffs.override')}
          </Button>
        )}
      </Space>
    );
  };

  const columns: ColumnsType<Row> = [
    {
      title: t('signoffs.colApplication'),
      key: 'app',
      fixed: 'left',
      width: 220,
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/applications/${r.application.id}`}>{r.application.subjectName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.application.categoryName}
          </Typography.Text>
        </Space>
      ),
    },
    ...(data?.departments ?? []).map((d) => ({
      title: d.name,
      key: `d${d.orgId}`,
      width: 160,
      render: (_: unknown, r: Row) => renderCell(r, d),
    })),
  ];

  return (
    <PageContainer
      title={t('signoffs.matrixTitle')}
      subTitle={t('signoffs.matrixSubtitle')}
      extra={
        <Space wrap>
          <Select<number>
            style={{ width: 260 }}
            placeholder={t('signoffs.chooseCampaign')}
            value={campaignId}
            loading={campaigns.loading}
            onChange={(v) => {
              setCampaignId(v);
              setPage(1);
            }}
            options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="matrix-campaign"
          />
          <Segmented<'open' | 'all'>
            value={state}
            onChange={(v) => {
              setState(v);
              setPage(1);
            }}
            options={(['open', 'all'] as const).map((s) => ({
              value: s,
              label: <span data-testid={`matrix-state-${s}`}>{t(`signoffs.state.${s}`)}</span>,
            }))}
          />
          {campaignId && (
            <Button href={matrixXlsxUrl({ campaignId, state })} data-testid="matrix-export">
              {t('signoffs.export')}
            </Button>
          )}
        </Space>
      }
    >
      {(error || campaigns.error) && <ErrorBox error={(error ?? campaigns.error)!} onRetry={reload} />}
      {data && (
        <Typography.Paragraph data-testid="matrix-summary">
          {t('signoffs.summary', {
            pending: data.summary.pending,
            late: data.summary.late,
            signed: data.summary.signed,
            overridden: data.summary.overridden,
          })}
        </Typography.Paragraph>
      )}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Row>
          rowKey={(r) => r.application.id}
          loading={loading}
          columns={columns}
          dataSource={data?.rows ?? []}
          scroll={{ x: 220 + 160 * (data?.departments.length ?? 0) }}
          pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          locale={{ emptyText: <Empty description={t('signoffs.empty')} /> }}
          onRow={(r) => ({ 'data-testid': `matrix-row-${r.application.id}` }) as never}
        />
      </Card>
      <Modal
        open={!!target}
        title={t('signoffs.overrideTitle')}
        okText={t('signoffs.override')}
        okButtonProps={{ danger: true, 'data-testid': 'matrix-override-ok' } as never}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={doOverride}
        onCancel={() => setTarget(null)}
        destroyOnHidden
      >
        {target && (
          <Typography.Paragraph>
            <strong>{target.subject}</strong>：{t('signoffs.overrideHint', { dept: target.dept, d: target.cell.deadline ?? '' })}
          </Typography.Paragraph>
        )}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('signoffs.overrideReason')}
            rules={[{ required: true, whitespace: true, message: t('signoffs.overrideReasonRequired') }, { max: 1000 }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} data-testid="matrix-override-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
