import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorMessage } from '../../api/client';
import {
  drawSample,
  getInspectionResults,
  getSample,
  inspectionResultsXlsxUrl,
  listSamples,
  recordInspection,
  type InspectionResults,
  type Sample,
  type SampleItem,
} from '../../api/experts';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';

/** 明查暗访: draw a reproducible sample each quarter, record results, read them per unit and region. */
export default function InspectionsPage() {
  const t = useT();
  const { message } = App.useApp();
  const [year, setYear] = useState(new Date().getFullYear());
  const [quarter, setQuarter] = useState(Math.floor(new Date().getMonth() / 3) + 1);
  const [mode, setMode] = useState<'announced' | 'unannounced'>('unannounced');
  const [size, setSize] = useState(5);
  const [seed, setSeed] = useState('');
  const [drawing, setDrawing] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [editing, setEditing] = useState<SampleItem | null>(null);
  const [form] = Form.useForm<{ score: number; findings: string; inspectedOn: Dayjs }>();
  const samples = useAsync(() => listSamples(year), [year]);
  const detail = useAsync(() => (selected ? getSample(selected) : Promise.resolve(null)), [selected]);
  const results = useAsync(() => getInspectionResults(year), [year]);

  const draw = async () => {
    setDrawing(true);
    try {
      const s = await drawSample({ year, quarter, mode, size, seed: seed.trim() || null });
      message.success(t('insp.drawn', { n: s.items.length, seed: s.seed }));
      setSelected(s.id);
      samples.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDrawing(false);
    }
  };

  const record = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    try {
      await recordInspection(editing.id, {
        score: v.score,
        findings: v.findings?.trim() || null,
        inspectedOn: v.inspectedOn.format('YYYY-MM-DD'),
      });
      setEditing(null);
      detail.reload();
      samples.reload();
      results.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <PageContainer
      title={t('insp.title')}
      subTitle={t('insp.subtitle')}
      extra={<InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} addonBefore={t('insp.year')} />}
    >
      {samples.error && <ErrorBox error={samples.error} onRetry={samples.reload} />}
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('insp.draw')} style={{ marginBottom: 16 }}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Select
                  value={quarter}
                  onChange={setQuarter}
                  options={[1, 2, 3, 4].map((q) => ({ value: q, label: t('insp.quarter', { q }) }))}
                />
                <Segmented
                  value={mode}
                  onChange={(v) => setMode(v as 'announced' | 'unannounced')}
                  options={[
                    { value: 'announced', label: t('insp.mode.announced') },
                    { value: 'unannounced', label: t('insp.mode.unannounced') },
                  ]}
                />
                <InputNumber
                  min={1}
                  max={1000}
                  value={size}
                  onChange={(v) => setSize(v ?? 1)}
                  addonBefore={t('insp.size')}
                  data-testid="sample-size"
                />
              </Space>
              <Input
                value={seed}
                onChange={(e) => setSeed(e.target.value)}
                maxLength={64}
                placeholder={t('insp.seedPlaceholder')}
                data-testid="sample-seed"
              />
              <Button type="primary" loading={drawing} onClick={draw} data-testid="sample-draw">
                {t('insp.drawButton')}
              </Button>
            </Space>
          </Card>
          <Card size="small" title={t('insp.samples')} style={{ marginBottom: 16 }}>
            <Table<Sample>
              rowKey="id"
              size="small"
              loading={samples.loading}
              dataSource={samples.data?.items ?? []}
              pagination={false}
              onRow={(s) => ({
                onClick: () => setSelected(s.id),
                style: { cursor: 'pointer', background: s.id === selected ? 'rgba(22,119,255,0.06)' : undefined },
              })}
              columns={[
                { title: t('insp.quarterCol'), render: (_, s) => t('insp.quarter', { q: s.quarter }) },
                {
                  title: t('insp.modeCol'),
                  render: (_, s) => <Tag color={s.mode === 'unannounced' ? 'purple' : 'blue'}>{t(`insp.mode.${s.mode}`)}</Tag>,
                },
                { title: t('insp.progress'), render: (_, s) => `${s.done ?? 0}/${s.size}` },
                {
                  title: t('insp.seed'),
                  render: (_, s) => (
                    <Typography.Text code copyable>
                      {s.seed}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          {detail.data && (
            <Card
              size="small"
              title={t('insp.sampleTitle', { q: detail.data.quarter })}
              style={{ marginBottom: 16 }}
              data-testid="sample-detail"
            >
              <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 8 }}>
                <Descriptions.Item label={t('insp.seed')}>
                  <Typography.Text code copyable data-testid="sample-seed-shown">
                    {detail.data.seed}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.population')}>
                  {t('insp.populationValue', { n: detail.data.population, m: detail.data.size })}
                </Descriptions.Item>
              </Descriptions>
              <Table<SampleItem>
                rowKey="id"
                size="small"
                dataSource={detail.data.items}
                pagination={false}
                scroll={{ x: 600 }}
                columns={[
                  { title: t('insp.unit'), dataIndex: 'subjectName' },
                  { title: t('insp.region'), dataIndex: 'regionName' },
                  { title: t('insp.score'), render: (_, i) => (i.score == null ? '—' : i.score) },
                  { title: t('insp.inspectedOn'), render: (_, i) => i.inspectedOn ?? '—' },
                  {
                    title: '',
                    render: (_, i) => (
                      <Button
                        size="small"
                        onClick={() => {
                          setEditing(i);
                          form.setFieldsValue({
                            score: i.score ?? undefined,
                            findings: i.findings ?? '',
                            inspectedOn: i.inspectedOn ? dayjs(i.inspectedOn) : dayjs(),
                          });
                        }}
                        data-testid={`insp-record-${i.id}`}
                      >
                        {t('insp.record')}
                      </Button>
                    ),
                  },
                ]}
              />
            </Card>
          )}
        </Col>
      </Row>
      <Card
        size="small"
        title={t('insp.results', { year })}
        extra={
          <Button href={inspectionResultsXlsxUrl(year)} data-testid="insp-export">
            {t('insp.export')}
          </Button>
        }
      >
        {results.error && <ErrorBox error={results.error} onRetry={results.reload} />}
        <Row gutter={16}>
          <Col xs={24} lg={10}>
            <Table<InspectionResults['regions'][number]>
              rowKey="regionId"
              size="small"
              dataSource={results.data?.regions ?? []}
              pagination={false}
              columns={[
                { title: t('insp.rank'), dataIndex: 'rank', width: 60 },
                { title: t('insp.region'), dataIndex: 'regionName' },
                { title: t('insp.inspections'), dataIndex: 'inspections' },
                { title: t('insp.average'), dataIndex: 'average' },
              ]}
            />
          </Col>
          <Col xs={24} lg={14}>
            <Table<InspectionResults['units'][number]>
              rowKey="subjectId"
              size="small"
              dataSource={results.data?.units ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('insp.unit'), dataIndex: 'subjectName' },
                { title: t('insp.area'), dataIndex: 'area' },
                { title: t('insp.inspections'), dataIndex: 'inspections' },
                { title: t('insp.average'), dataIndex: 'average' },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Modal
        open={!!editing}
        title={editing?.subjectName}
        onCancel={() => setEditing(null)}
        onOk={record}
        okButtonProps={{ 'data-testid': 'insp-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="score" label={t('insp.score')} rules={[{ required: true, message: t('insp.scoreRequired') }]}>
            <InputNumber min={0} max={100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="inspectedOn" label={t('insp.inspectedOn')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="findings" label={t('insp.findings')}>
            <Input.TextArea maxLength={5000} autoSize={{ minRows: 3 }} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
