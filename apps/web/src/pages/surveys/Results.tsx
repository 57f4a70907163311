import { useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { applySurveyResults, getSurveyResults, type SurveyApplyT, type SurveyResultsT, type SurveyT } from '../../api/surveys';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import { indicatorName } from './shared';

type Question = SurveyResultsT['questions'][number];
type Indicator = SurveyResultsT['indicators'][number];

const fmt = (v: number | null) => (v === null ? '—' : `${v}%`);

/**
 * 调查结果: per question its counts and, per region, the favourable share; the indicator figures that
 * applying writes (per target region and the survey's own); for a unit's survey the measure's figure.
 */
export default function Results({ survey, onApplied }: { survey: SurveyT; onApplied: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const { data, error, reload } = useAsync(() => getSurveyResults(survey.id), [survey.id]);
  const [applied, setApplied] = useState<SurveyApplyT | null>(null);
  const [busy, setBusy] = useState(false);
  if (error) return <ErrorBox error={error} onRetry={reload} />;
  if (!data) return null;

  const apply = async () => {
    setBusy(true);
    try {
      const r = await applySurveyResults(survey.id);
      setApplied(r);
      message.success(t('surveys.results.applied', { n: r.indicators.length }));
      onApplied();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const indColumns: ColumnsType<Indicator> = [
    { title: t('surveys.col.region'), dataIndex: 'regionName' },
    { title: t('surveys.builder.indicator'), dataIndex: 'indicator', render: (id: string) => indicatorName(id, pick) },
    { title: t('surveys.results.value'), dataIndex: 'value', align: 'right', render: (v: number) => <strong>{v}%</strong> },
    {
      title: t('surveys.results.basis'),
      key: 'basis',
      render: (_: unknown, r) => (r.indicator === 'two_rates_one_degree' ? t('surveys.results.mean3') : `${r.favourable} / ${r.answered}`),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('surveys.results.responses', { n: data.responses })}</Typography.Text>
        {survey.canApply && (
          <Popconfirm title={t('surveys.results.applyConfirm')} onConfirm={apply}>
            <Button type="primary" loading={busy} data-testid="survey-apply">
              {t('surveys.results.apply')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {data.measureValue !== null && survey.measure && (
        <Alert
          type="info"
          showIcon
          title={t('surveys.results.measure', {
            name: survey.subject?.name ?? '',
            c: survey.measure.criterionId,
            label: survey.measure.label ?? survey.measure.measureId,
            v: data.measureValue,
          })}
        />
      )}
      {applied?.note && <Alert type="warning" showIcon title={applied.note} />}
      {applied?.measure && (
        <Alert
          type="success"
          showIcon
          title={t('surveys.results.measureDone', {
            name: applied.measure.subjectName,
            c: applied.measure.criterionId,
            v: applied.measure.value,
            s: t(`surveys.criterion.${applied.measure.criterionStatus}` as MessageKey),
          })}
        />
      )}
      <Card size="small" title={t('surveys.results.indicators')}>
        <Table<Indicator>
          rowKey={(r) => `${r.regionId}-${r.indicator}`}
          size="small"
          columns={indColumns}
          dataSource={data.indicators}
          pagination={false}
        />
      </Card>
      {data.questions.map((q, i) => (
        <QuestionCard key={q.questionId} q={q} n={i + 1} />
      ))}
    </Space>
  );
}

function QuestionCard({ q, n }: { q: Question; n: number }) {
  const { t, pick } = useI18n();
  const keys = Object.keys(q.overall.counts);
  type Row = { key: string; regionName: string; tally: Question['overall'] };
  const rows: Row[] = [
    ...q.byRegion.map((r) => ({ key: String(r.regionId), regionName: r.regionName, tally: r.tally })),
    { key: 'all', regionName: t('surveys.progress.total'), tally: q.overall },
  ];
  const columns: ColumnsType<Row> = [
    { title: t('surveys.col.region'), dataIndex: 'regionName' },
    { title: t('surveys.results.answered'), key: 'answered', align: 'right', render: (_: unknown, r) => r.tally.answered },
    ...keys.map((k) => ({ title: k, key: k, align: 'right' as const, render: (_: unknown, r: Row) => r.tally.counts[k] ?? 0 })),
    ...(q.kind === 'scale'
      ? [{ title: t('surveys.results.mean'), key: 'mean', align: 'right' as const, render: (_: unknown, r: Row) => r.tally.mean ?? '—' }]
      : []),
    ...(['satisfaction', 'yes_no', 'scale'].includes(q.kind)
      ? [{ title: t('surveys.results.share'), key: 'share', align: 'right' as const, render: (_: unknown, r: Row) => fmt(r.tally.share) }]
      : []),
  ];
  return (
    <Card
      size="small"
      title={`${n}. ${q.text}`}
      extra={q.indicator && <Tag color="red">{indicatorName(q.indicator, pick)}</Tag>}
      data-testid={`results-${q.questionId}`}
    >
      {q.kind === 'open' ? (
        <Typography.Text type="secondary">{t('surveys.results.open', { n: q.overall.answered })}</Typography.Text>
      ) : (
        <Table<Row> rowKey="key" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 600 }} />
      )}
    </Card>
  );
}
