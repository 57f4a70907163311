import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Descriptions, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { closeSurvey, getSurvey, openSurvey } from '../../api/surveys';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../locales';
import { fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import Builder from './Builder';
import Targets from './Targets';
import Progress from './Progress';
import Results from './Results';
import Collect from './Collect';
import { STATUS_COLOR } from './shared';

/** One survey: its questions (editable while draft), the sampling plan, progress, results, telephone import and invitation codes. */
export default function SurveyDetailPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const { data: s, error, loading, reload } = useAsync(() => getSurvey(id), [id]);
  const [tab, setTab] = useState('questions');
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>, done: MessageKey) => {
    setBusy(true);
    try {
      await fn();
      message.success(t(done));
      reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorBox error={error} onRetry={reload} />;
  if (!s) return <PageContainer title={t('surveys.title')}>{loading ? t('common.loading') : null}</PageContainer>;
  const publicUrl = `${window.location.origin}${s.publicPath}`;

  return (
    <PageContainer
      title={s.title}
      tags={
        <Tag color={STATUS_COLOR[s.status]} data-testid="survey-status">
          {t(`surveys.status.${s.status}` as MessageKey)}
        </Tag>
      }
      extra={
        <Space wrap>
          {s.canOpen && (
            <Popconfirm title={t('surveys.detail.openConfirm')} onConfirm={() => act(() => openSurvey(id), 'surveys.detail.opened')}>
              <Button type="primary" loading={busy} data-testid="survey-open">
                {t('surveys.detail.open')}
              </Button>
            </Popconfirm>
          )}
          {s.canClose && (
            <Popconfirm title={t('surveys.detail.closeConfirm')} onConfirm={() => act(() => closeSurvey(id), 'surveys.detail.closed')}>
              <Button danger loading={busy} data-testid="survey-close">
                {t('surveys.detail.close')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('surveys.col.region')}>{s.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('surveys.col.year')}>{s.year}</Descriptions.Item>
        <Descriptions.Item label={t('surveys.col.identity')}>{t(`surveys.identity.${s.identity}` as MessageKey)}</Descriptions.Item>
        <Descriptions.Item label={t('surveys.detail.org')}>{s.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('surveys.detail.responses')}>{s.responses}</Descriptions.Item>
        <Descriptions.Item label={t('surveys.col.applied')}>{s.appliedAt ? fmtTime(s.appliedAt) : '—'}</Descriptions.Item>
        {s.subject && (
          <Descriptions.Item label={t('surveys.detail.unit')} span={3}>
            {s.subject.name} ·{' '}
            {t('surveys.detail.measure', { c: s.measure?.criterionId ?? '', m: s.measure?.label ?? s.measure?.measureId ?? '' })}
          </Descriptions.Item>
        )}
        {s.status !== 'draft' && (
          <Descriptions.Item label={t('surveys.detail.publicLink')} span={3}>
            <Typography.Link href={s.publicPath} target="_blank" copyable={{ text: publicUrl }} data-testid="survey-public-link">
              {publicUrl}
            </Typography.Link>
          </Descriptions.Item>
        )}
      </Descriptions>
      {s.status === 'draft' && s.openBlockers.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('surveys.detail.blockers')}
          description={s.openBlockers.join('；')}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'questions', label: t('surveys.tab.questions'), children: <Builder survey={s} onSaved={reload} /> },
          { key: 'targets', label: t('surveys.tab.targets'), children: <Targets survey={s} onSaved={reload} /> },
          { key: 'progress', label: t('surveys.tab.progress'), children: tab === 'progress' && <Progress survey={s} /> },
          { key: 'results', label: t('surveys.tab.results'), children: tab === 'results' && <Results survey={s} onApplied={reload} /> },
          ...(s.owned && s.status !== 'draft'
            ? [{ key: 'collect', label: t('surveys.tab.collect'), children: <Collect survey={s} onDone={reload} /> }]
            : []),
        ]}
      />
    </PageContainer>
  );
}
