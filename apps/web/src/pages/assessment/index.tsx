import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { errorMessage } from '../../api/client';
import {
  computeIndicators,
  indicatorsXlsxUrl,
  listIndicators,
  listRegions,
  recordIndicator,
  type IndicatorFigure,
  type IndicatorRow,
  type IndicatorTable,
  type RecordBody,
} from '../../api/assessment';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';

const PAGE_SIZE = 50;
type Level = 'county' | 'town' | 'village';
const SOURCE_COLOR: Record<string, string> = { computed: 'blue', survey: 'purple', import: 'cyan', manual: 'orange' };

/** 区域指标: the regions of a level under the office, their figures with source and time, 五个90%. */
export default function AssessmentPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState(new Date().getFullYear());
  const [regionId, setRegionId] = useState<number | undefined>();
  const [level, setLevel] = useState<Level | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [computing, setComputing] = useState(false);
  const [entering, setEntering] = useState(false);
  const [form] = Form.useForm<RecordBody>();
  const regions = useAsync(listRegions, []);
  const table = useAsync(
    () => listIndicators({ year, regionId, level, q: q.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [year, regionId, level, q, page],
  );
  const data = table.data;
  const scopeOptions = (regions.data ?? [])
    .filter((r) => r.level === 'city' || r.level === 'county' || r.level === 'town')
    .map((r) => ({ value: r.id, label: r.name }));

  const recompute = async () => {
    setComputing(true);
    try {
      const r = await computeIndicators(year, regionId);
      message.success(t('assessment.recomputed', { regions: r.regions, written: r.written, kept: r.kept, ms: r.ms }));
      table.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setComputing(false);
    }
  };

  const save = async () => {
    const v = await form.validateFields();
    try {
      await recordIndicator({ ...v, year });
      message.success(t('assessment.saved'));
      setEntering(false);
      form.resetFields();
      table.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const columns = useMemo(() => buildColumns(data, t, lang), [data, t, lang]);

  return (
    <PageContainer
      title={t('assessment.title')}
      subTitle={t('assessment.subtitle')}
      extra={
        <Space wrap>
          <Button onClick={() => setEntering(true)} data-testid="indicator-enter">
            {t('assessment.enter')}
          </Button>
          <Button loading={computing} onClick={recompute} data-testid="indicator-recompute">
            {t('assessment.recompute')}
          </Button>
          <Button href={indicatorsXlsxUrl({ year, regionId, level, q: q.trim() || undefined })} data-testid="indicator-export">
            {t('assessment.export')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <InputNumber
          min={2000}
          max={2100}
          value={year}
          onChange={(v) => v && (setYear(v), setPage(1))}
          addonBefore={t('assessment.year')}
          data-testid="indicator-year"
        />
        <Select
          style={{ minWidth: 160 }}
          allowClear
          placeholder={t('assessment.region')}
          value={regionId}
          onChange={(v) => (setRegionId(v), setLevel(undefined), setPage(1))}
          options={scopeOptions}
        />
        <Select
          style={{ minWidth: 120 }}
          value={data?.level ?? level}
          onChange={(v: Level) => (setLevel(v), setPage(1))}
          options={(['county', 'town', 'village'] as const).map((l) => ({ value: l, label: t(`assessment.level.${l}`) }))}
          data-testid="indicator-level"
        />
        <Input.Search allowClear placeholder={t('assessment.search')} onSearch={(v) => (setQ(v), setPage(1))} style={{ width: 200 }} />
      </Space>
      {computing && <Alert type="info" showIcon message={t('assessment.recomputing')} style={{ marginBottom: 12 }} />}
      {table.error && <ErrorBox error={table.error} onRetry={table.reload} />}
      {data && (
        <Alert
          style={{ marginBottom: 12 }}
          type={data.passShare.met === true ? 'success' : data.passShare.met === false ? 'warning' : 'info'}
          showIcon
          data-testid="pass-share"
          message={`${t('assessment.passShare')}（${data.document}）：${
            data.passShare.share === null
              ? data.passShare.reason
              : t('assessment.passShareValue', { passed: data.passShare.passed, total: data.passShare.total, share: data.passShare.share })
          }`}
          description={data.passShare.share === null ? undefined : data.passShare.reason}
        />
      )}
      <Table<IndicatorRow>
        rowKey="regionId"
        size="small"
        loading={table.loading}
        dataSource={data?.items ?? []}
        columns={columns}
        scroll={{ x: 1400 }}
        data-testid="indicator-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      />
      <Modal
        open={entering}
        title={t('assessment.modal.title')}
        onOk={save}
        onCancel={() => setEntering(false)}
        destroyOnClose
        okButtonProps={{ 'data-testid': 'indicator-save' } as never}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="regionId" label={t('assessment.modal.region')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(regions.data ?? []).filter((r) => r.level !== 'grid').map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
          <Form.Item name="indicator" label={t('assessment.modal.indicator')} rules={[{ required: true }]}>
            <Select options={(data?.catalogue ?? []).map((c) => ({ value: c.id, label: lang === 'zh-CN' ? c.zh : c.en }))} />
          </Form.Item>
          <Form.Item name="value" label={t('assessment.modal.value')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1000000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('assessment.modal.note')}
            rules={[{ required: true, whitespace: true, message: t('assessment.modal.noteRequired') }]}
          >
            <Input maxLength={500} placeholder={t('assessment.modal.notePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}

type T = ReturnType<typeof useI18n>['t'];

function FigureCell({ f, met, t }: { f: IndicatorFigure | undefined; met: boolean | null | undefined; t: T }) {
  if (!f) return <span className="muted">{t('assessment.noValue')}</span>;
  const d = (f.detail ?? {}) as Record<string, unknown>;
  const lines = [
    d.numerator != null && d.denominator != null
      ? t('assessment.detail.ratio', { num: String(d.numerator), den: String(d.denominator) })
      : null,
    typeof d.of === 'string' ? d.of : null,
    f.sourceRef ? t('assessment.detail.ref', { ref: f.sourceRef }) : null,
    t('assessment.detail.at', { at: new Date(f.recordedAt).toLocaleString() }),
    f.recordedBy ? t('assessment.detail.by', { by: f.recordedBy }) : null,
  ].filter(Boolean);
  return (
    <Tooltip
      title={lines.map((l, i) => (
        <div key={i}>{l}</div>
      ))}
    >
      <Space size={4}>
        <Typography.Text type={met === false ? 'danger' : undefined} strong={met === false}>
          {f.value}
        </Typography.Text>
        <Tag color={SOURCE_COLOR[f.source]} style={{ marginInlineEnd: 0 }}>
          {t(`assessment.source.${f.source}` as 'assessment.source.computed')}
        </Tag>
      </Space>
    </Tooltip>
  );
}

function buildColumns(data: IndicatorTable | undefined, t: T, lang: string): ColumnsType<IndicatorRow> {
  const cat = data?.catalogue ?? [];
  return [
    {
      title: t('assessment.col.region'),
      fixed: 'left',
      width: 150,
      render: (_, r) => (
        <span>
          <strong>{r.name}</strong>
          {r.parentName && <div className="muted">{r.parentName}</div>}
        </span>
      ),
    },
    ...cat.map((c) => ({
      key: c.id,
      width: 130,
      title: (
        <Tooltip title={c.target ? t('assessment.target', { target: c.target }) : undefined}>
          {lang === 'zh-CN' ? c.zh : c.en}
          {c.unit ? `（${c.unit}）` : ''}
        </Tooltip>
      ),
      render: (_: unknown, r: IndicatorRow) => (
        <FigureCell f={r.values[c.id]} met={r.evaluation.results.find((x) => x.id === c.id)?.met} t={t} />
      ),
    })),
    {
      title: t('assessment.col.five'),
      fixed: 'right',
      width: 100,
      render: (_, r) => (
        <Tooltip
          title={r.evaluation.results.map((x) => (
            <div key={x.id}>{x.reason}</div>
          ))}
        >
          <Tag color={r.evaluation.met === true ? 'green' : r.evaluation.met === false ? 'red' : 'default'}>
            {t(r.evaluation.met === true ? 'assessment.met' : r.evaluation.met === false ? 'assessment.unmet' : 'assessment.pending')}
          </Tag>
        </Tooltip>
      ),
    },
  ];
}
