import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { listSurveys, surveysXlsxUrl, type SurveyListQuery, type SurveyRowT } from '../../api/surveys';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import { fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import CreateSurveyModal from './CreateSurveyModal';
import { STATUS_COLOR } from './shared';

const PAGE = 20;

/** 问卷调查: the region's surveys, paged and filtered; create one; export the list as Excel. */
export default function SurveyListPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<Omit<SurveyListQuery, 'limit' | 'offset'>>({});
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const { data, error, loading, reload } = useAsync(() => listSurveys({ ...filter, limit: PAGE, offset }), [filter, offset]);
  const setF = (f: Partial<typeof filter>) => {
    setOffset(0);
    setFilter((x) => ({ ...x, ...f }));
  };

  const columns: ColumnsType<SurveyRowT> = [
    {
      title: t('surveys.col.title'),
      dataIndex: 'title',
      render: (title: string, s) => (
        <Link to={`/surveys/${s.id}`} data-testid={`survey-open-${s.id}`}>
          <strong>{title}</strong>
          {s.subjectName && <div className="muted">{t('surveys.unitOf', { name: s.subjectName })}</div>}
        </Link>
      ),
    },
    { title: t('surveys.col.year'), dataIndex: 'year', width: 70 },
    { title: t('surveys.col.region'), dataIndex: 'regionName', width: 110 },
    {
      title: t('surveys.col.status'),
      dataIndex: 'status',
      width: 90,
      render: (st: SurveyRowT['status']) => <Tag color={STATUS_COLOR[st]}>{t(`surveys.status.${st}` as MessageKey)}</Tag>,
    },
    {
      title: t('surveys.col.identity'),
      dataIndex: 'identity',
      width: 90,
      render: (v: SurveyRowT['identity']) => t(`surveys.identity.${v}` as MessageKey),
    },
    {
      title: t('surveys.col.progress'),
      key: 'progress',
      width: 120,
      align: 'right',
      render: (_: unknown, s) => `${s.responses} / ${s.target}`,
    },
    { title: t('surveys.col.applied'), dataIndex: 'appliedAt', width: 150, render: (v: string | null) => (v ? fmtTime(v) : '—') },
  ];

  return (
    <PageContainer
      title={t('surveys.title')}
      subTitle={t('surveys.subtitle')}
      extra={
        <Space wrap>
          <Button href={surveysXlsxUrl(filter)} data-testid="surveys-export">
            {t('surveys.export')}
          </Button>
          <Button type="primary" onClick={() => setCreating(true)} data-testid="survey-create">
            {t('surveys.create')}
          </Button>
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('surveys.col.status')}
            value={filter.status}
            onChange={(v) => setF({ status: v })}
            options={(['draft', 'open', 'closed'] as const).map((s) => ({ value: s, label: t(`surveys.status.${s}` as MessageKey) }))}
          />
          <InputNumber
            placeholder={t('surveys.col.year')}
            min={2000}
            max={2100}
            value={filter.year}
            onChange={(v) => setF({ year: v ?? undefined })}
          />
          <Input.Search allowClear placeholder={t('surveys.search')} onSearch={(q) => setF({ q: q || undefined })} style={{ width: 240 }} />
        </Space>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<SurveyRowT>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={{
            current: Math.floor(offset / PAGE) + 1,
            pageSize: PAGE,
            total: data?.total ?? 0,
            hideOnSinglePage: true,
            showSizeChanger: false,
            onChange: (p) => setOffset((p - 1) * PAGE),
          }}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('surveys.empty') }}
        />
      </Card>
      <CreateSurveyModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          navigate(`/surveys/${id}`);
        }}
      />
    </PageContainer>
  );
}
