import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Input, InputNumber, Pagination, Progress, Select, Space, Table, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { errorMessage } from '../../api/client';
import {
  getRosterJob,
  listRegions,
  listRoster,
  rosterErrorsUrl,
  rosterTemplateUrl,
  rosterXlsxUrl,
  uploadRoster,
  type RosterJob,
  type RosterProblem,
  type RosterUnit,
} from '../../api/roster';
import { regionSummaryUrl } from '../../api/documents';

const PAGE_SIZE = 20;
const POLL_MS = 600;

/** 名册导入: template, upload with progress and the error report; the roster of the office's area; the yearly summary PDF. */
export default function RosterPage() {
  const { t } = useI18n();
  return (
    <PageContainer
      title={t('roster.title')}
      subTitle={t('roster.subtitle')}
      extra={
        <Button href={rosterTemplateUrl()} data-testid="roster-template">
          {t('roster.template')}
        </Button>
      }
    >
      <ImportCard />
      <RosterList />
    </PageContainer>
  );
}

function ImportCard() {
  const { t } = useI18n();
  const [job, setJob] = useState<RosterJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current) window.clearTimeout(timer.current);
    },
    [],
  );

  const poll = (id: string) => {
    getRosterJob(id)
      .then((j) => {
        setJob(j);
        if (j.state === 'running') timer.current = window.setTimeout(() => poll(id), POLL_MS);
        else setBusy(false);
      })
      .catch((e: unknown) => {
        setError(errorMessage(e));
        setBusy(false);
      });
  };
  const start = async (file: File) => {
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const { jobId } = await uploadRoster(file);
      poll(jobId);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const r = job?.result ?? null;
  const percent = job ? (job.state !== 'running' ? 100 : job.total ? Math.floor((job.done / job.total) * 100) : 0) : 0;
  const columns: ColumnsType<RosterProblem> = [
    { title: t('roster.col.sheet'), dataIndex: 'sheet', width: 80 },
    { title: t('roster.col.row'), dataIndex: 'row', width: 70 },
    { title: t('roster.col.name'), dataIndex: 'name', width: 200, ellipsis: true },
    { title: t('roster.col.reasons'), dataIndex: 'reasons', render: (rs: string[]) => rs.join('；') },
  ];

  return (
    <Card title={t('roster.upload')} style={{ marginBottom: 16 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Upload
          accept=".xlsx"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(file) => {
            void start(file);
            return false;
          }}
          disabled={busy}
        >
          <Button type="primary" loading={busy} data-testid="roster-upload">
            {t('roster.upload')}
          </Button>
        </Upload>
        <span className="muted">{t('roster.uploadHint')}</span>
        {error && <Alert type="error" showIcon title={error} />}
        {job && (
          <>
            <Progress
              percent={percent}
              status={job.state === 'failed' || (r && !r.ok) ? 'exception' : job.state === 'done' ? 'success' : 'active'}
              data-testid="roster-progress"
            />
            <span className="muted">{job.message}</span>
          </>
        )}
        {job?.state === 'failed' && <Alert type="error" showIcon title={t('roster.failed')} description={job.message} />}
        {r?.ok && (
          <Alert
            type="success"
            showIcon
            data-testid="roster-done"
            title={t('roster.doneOk', { ri: r.regionsInserted, ru: r.regionsUpdated, ui: r.unitsInserted, uu: r.unitsUpdated })}
          />
        )}
        {r && !r.ok && job && (
          <>
            <Alert
              type="error"
              showIcon
              data-testid="roster-refused"
              title={t('roster.refused', { n: r.problemCount })}
              description={r.problemCount > r.problems.length ? t('roster.listedFirst', { shown: r.problems.length }) : undefined}
              action={
                <Button href={rosterErrorsUrl(job.id)} data-testid="roster-errors">
                  {t('roster.errors')}
                </Button>
              }
            />
            <Table<RosterProblem>
              size="small"
              rowKey={(p) => `${p.sheet}-${p.row}`}
              columns={columns}
              dataSource={r.problems}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              data-testid="roster-problems"
            />
          </>
        )}
      </Space>
    </Card>
  );
}

function RosterList() {
  const { t } = useI18n();
  const [regionId, setRegionId] = useState<number | undefined>();
  const [kind, setKind] = useState<'unit' | 'household' | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [year, setYear] = useState(new Date().getFullYear());
  const regions = useAsync(() => listRegions(), []);
  const list = useAsync(
    () => listRoster({ regionId, kind, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [regionId, kind, q, page],
  );
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  const top = regions.data?.length ? Math.min(...regions.data.map((r) => depth(r.path))) : 0;
  const summaryRegion = regionId ?? regions.data?.find((r) => depth(r.path) === top)?.id;

  const columns: ColumnsType<RosterUnit> = [
    { title: t('roster.col.name'), dataIndex: 'name', width: 220, ellipsis: true },
    {
      title: t('roster.col.kind'),
      dataIndex: 'kind',
      width: 70,
      render: (k: string) => (k === 'unit' || k === 'household' ? t(`roster.kind.${k}`) : k),
    },
    { title: t('roster.col.region'), dataIndex: 'regionPath', ellipsis: true },
    { title: t('roster.col.unitType'), dataIndex: 'unitType', width: 140, ellipsis: true },
    { title: t('roster.col.dept'), dataIndex: 'supervisingDept', width: 110 },
    { title: t('roster.col.staff'), dataIndex: 'staff', width: 90 },
    { title: t('roster.col.households'), dataIndex: 'households', width: 80 },
    { title: t('roster.col.phone'), dataIndex: 'phone', width: 130 },
  ];

  return (
    <Card
      title={t('roster.list')}
      extra={
        <Space wrap>
          <Button href={rosterXlsxUrl({ regionId, kind, q: q || undefined })} data-testid="roster-export">
            {t('roster.export')}
          </Button>
          <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} addonBefore={t('roster.summaryYear')} />
          <Button
            href={summaryRegion ? regionSummaryUrl(summaryRegion, year) : undefined}
            disabled={!summaryRegion}
            data-testid="roster-summary"
          >
            {t('roster.summary')}
          </Button>
        </Space>
      }
    >
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<number | ''>
          style={{ width: 240 }}
          value={regionId ?? ''}
          onChange={(v) => {
            setRegionId(v === '' ? undefined : v);
            setPage(1);
          }}
          data-testid="roster-region"
          options={[
            { value: '', label: t('roster.col.region') },
            ...(regions.data ?? []).map((r) => ({ value: r.id, label: `${'\u3000'.repeat(Math.max(0, depth(r.path) - top))}${r.name}` })),
          ]}
        />
        <Select<'unit' | 'household' | ''>
          style={{ width: 120 }}
          value={kind ?? ''}
          onChange={(v) => {
            setKind(v || undefined);
            setPage(1);
          }}
          options={[
            { value: '', label: t('roster.allKinds') },
            { value: 'unit', label: t('roster.kind.unit') },
            { value: 'household', label: t('roster.kind.household') },
          ]}
        />
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={t('roster.search')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          data-testid="roster-search"
        />
      </Space>
      <Table<RosterUnit>
        size="small"
        rowKey="id"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="roster-table"
      />
      <Pagination
        style={{ marginTop: 12, textAlign: 'right' }}
        current={page}
        pageSize={PAGE_SIZE}
        total={list.data?.total ?? 0}
        showSizeChanger={false}
        onChange={setPage}
      />
    </Card>
  );
}
