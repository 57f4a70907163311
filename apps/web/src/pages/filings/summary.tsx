import { Button, Descriptions, Input, InputNumber, Space, Table, Typography } from 'antd';
import { STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import type { SummaryFigures } from '../../api/filings';
import { useI18n } from '../../locales';

export interface SummaryValue {
  figures: SummaryFigures;
  text: string;
}

/**
 * 年度总结: the figures the system holds for the filer's region and year, prefilled and editable,
 * each with the system's own value beside it when changed; then the text.
 */
export default function SummaryForm({
  value,
  prefill,
  editable,
  onChange,
}: {
  value: SummaryValue;
  prefill: SummaryFigures | null;
  editable: boolean;
  onChange(v: SummaryValue): void;
}) {
  const { t, pick } = useI18n();
  const f = value.figures;
  const set = (patch: Partial<SummaryFigures>) => onChange({ ...value, figures: { ...f, ...patch } });
  const sys = (now: number | null, was: number | null | undefined) =>
    prefill && was !== undefined && now !== was ? (
      <Typography.Text type="secondary"> {t('filings.summary.system', { value: was ?? '—' })}</Typography.Text>
    ) : null;
  const num = (v: number | null, onSet: (n: number | null) => void, max = 2147483647, step = 1) =>
    editable ? (
      <InputNumber min={0} max={max} step={step} value={v ?? undefined} onChange={(n) => onSet(n ?? null)} style={{ width: 140 }} />
    ) : (
      <span>{v ?? '—'}</span>
    );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="filing-summary">
      <Space>
        <Typography.Text strong>{t('filings.summary.figures')}</Typography.Text>
        {editable && prefill && (
          <Button size="small" onClick={() => onChange({ ...value, figures: prefill })} data-testid="filing-summary-reset">
            {t('filings.summary.reset')}
          </Button>
        )}
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('filings.summary.applicationsTotal')}>
          {num(f.applicationsTotal, (n) => set({ applicationsTotal: n ?? 0 }))}
          {sys(f.applicationsTotal, prefill?.applicationsTotal)}
        </Descriptions.Item>
        <Descriptions.Item label={t('filings.summary.titles')}>
          {num(f.titlesConferred, (n) => set({ titlesConferred: n ?? 0 }))}
          {sys(f.titlesConferred, prefill?.titlesConferred)}
        </Descriptions.Item>
        <Descriptions.Item label={t('filings.summary.coverage')}>
          {num(f.coverage.value, (n) => set({ coverage: { ...f.coverage, value: n, source: 'manual' } }), 100, 0.1)}
          {sys(f.coverage.value, prefill?.coverage.value)}
          <div className="muted">{f.coverage.sourceRef}</div>
        </Descriptions.Item>
        <Descriptions.Item label={t('filings.summary.passRate')}>
          {num(f.passRate.value, (n) => set({ passRate: { ...f.passRate, value: n, source: 'manual' } }), 100, 0.1)}
          {sys(f.passRate.value, prefill?.passRate.value)}
          <div className="muted">{f.passRate.sourceRef}</div>
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="status"
        pagination={false}
        title={() => t('filings.summary.applications')}
        dataSource={f.applications}
        columns={[
          {
            title: t('filings.col.state'),
            dataIndex: 'status',
            render: (st: string) => pick(STATUS_LABELS[st as ApplicationStatus]) || st,
          },
          {
            title: t('filings.summary.value'),
            key: 'count',
            render: (_: unknown, r: SummaryFigures['applications'][number], i: number) =>
              num(r.count, (n) => set({ applications: f.applications.map((x, j) => (j === i ? { ...x, count: n ?? 0 } : x)) })),
          },
        ]}
      />
      <Table
        size="small"
        rowKey="indicator"
        pagination={false}
        title={() => t('filings.summary.indicators')}
        dataSource={f.indicators}
        columns={[
          { title: t('filings.summary.indicator'), dataIndex: 'indicator' },
          {
            title: t('filings.summary.value'),
            key: 'value',
            render: (_: unknown, r: SummaryFigures['indicators'][number], i: number) =>
              num(r.value, (n) => set({ indicators: f.indicators.map((x, j) => (j === i ? { ...x, value: n ?? 0 } : x)) }), 1e9, 0.1),
          },
          {
            title: t('filings.summary.source'),
            key: 'source',
            render: (_: unknown, r: SummaryFigures['indicators'][number]) => `${r.source}${r.sourceRef ? `：${r.sourceRef}` : ''}`,
          },
        ]}
      />
      <div>
        <Typography.Text strong>{t('filings.summary.text')}</Typography.Text>
        <Input.TextArea
          rows={8}
          maxLength={20000}
          readOnly={!editable}
          value={value.text}
          onChange={(e) => onChange({ ...value, text: e.target.value })}
          data-testid="filing-summary-text"
        />
      </div>
    </Space>
  );
}
