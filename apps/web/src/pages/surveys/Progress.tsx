import { useMemo } from 'react';
import { Button, Card, Progress as Bar, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { getSurveyProgress, surveyProgressXlsxUrl, type SurveyProgressT, type SurveyT } from '../../api/surveys';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import ErrorBox from '../../components/ErrorBox';
import SurveyChart, { type BarOption } from './SurveyChart';

type Row = SurveyProgressT['items'][number];

/** 调查进度: responses per region against its target, as a table and a bar chart; Excel with the same rows. */
export default function Progress({ survey }: { survey: SurveyT }) {
  const { t } = useI18n();
  const { data, error, reload, loading } = useAsync(() => getSurveyProgress(survey.id), [survey.id]);
  const option = useMemo<BarOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('surveys.progress.target'), t('surveys.progress.responses')] },
      grid: { left: 40, right: 16, bottom: 40, top: 36 },
      xAxis: { type: 'category', data: (data?.items ?? []).map((r) => r.regionName) },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('surveys.progress.target'),
          type: 'bar',
          data: (data?.items ?? []).map((r) => r.target),
          itemStyle: { color: '#d9d9d9' },
        },
        {
          name: t('surveys.progress.responses'),
          type: 'bar',
          data: (data?.items ?? []).map((r) => r.responses),
          itemStyle: { color: '#b71c1c' },
        },
      ],
    }),
    [data, t],
  );
  if (error) return <ErrorBox error={error} onRetry={reload} />;
  const columns: ColumnsType<Row> = [
    { title: t('surveys.col.region'), dataIndex: 'regionName' },
    { title: t('surveys.progress.target'), dataIndex: 'target', width: 100, align: 'right' },
    { title: t('surveys.progress.web'), dataIndex: 'web', width: 100, align: 'right' },
    { title: t('surveys.progress.telephone'), dataIndex: 'telephone', width: 100, align: 'right' },
    { title: t('surveys.progress.responses'), dataIndex: 'responses', width: 100, align: 'right' },
    {
      title: t('surveys.progress.percent'),
      dataIndex: 'percent',
      width: 200,
      render: (p: number | null) => (p === null ? '—' : <Bar percent={Math.min(100, p)} format={() => `${p}%`} size="small" />),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button href={surveyProgressXlsxUrl(survey.id)} data-testid="progress-export">
          {t('surveys.export')}
        </Button>
      </Space>
      <Card size="small">
        <SurveyChart option={option} testId="survey-progress-chart" />
      </Card>
      <Table<Row>
        rowKey="regionId"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={false}
        summary={() =>
          data && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('surveys.progress.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {data.total.target}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {data.total.web}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {data.total.telephone}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {data.total.responses}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5}>{data.total.percent === null ? '—' : `${data.total.percent}%`}</Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
    </Space>
  );
}
