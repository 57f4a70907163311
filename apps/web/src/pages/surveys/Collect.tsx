import { useState } from 'react';
import { Alert, App, Button, Card, InputNumber, List, Select, Space, Typography, Upload } from 'antd';
import { createInvitations, importSurveyResponses, surveyImportTemplateUrl, type SurveyT } from '../../api/surveys';
import { ApiError, errorMessage } from '../../api/client';
import { useI18n } from '../../locales';
import { saveBlob } from './shared';

type RowProblem = { row: number; reasons: string[] };

/** 电话调查与邀请码: the contractor's telephone results imported from Excel (all or nothing), and invitation codes for a region. */
export default function Collect({ survey, onDone }: { survey: SurveyT; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [region, setRegion] = useState<number | undefined>(survey.targets[0]?.regionId);
  const [count, setCount] = useState(50);

  const upload = async (file: File) => {
    setBusy(true);
    setProblems([]);
    try {
      const r = await importSurveyResponses(survey.id, file);
      message.success(t('surveys.collect.imported', { n: r.imported }));
      onDone();
    } catch (e) {
      const rows = e instanceof ApiError ? (e.details as { rows?: RowProblem[] } | undefined)?.rows : undefined;
      if (rows) setProblems(rows);
      message.error(e instanceof ApiError && rows ? t('surveys.collect.failed', { n: rows.length }) : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const invite = async () => {
    if (!region) return;
    setBusy(true);
    try {
      const f = await createInvitations(survey.id, { regionId: region, count });
      saveBlob(f.blob, f.fileName);
      message.success(t('surveys.collect.invited', { n: count }));
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('surveys.collect.phoneTitle')}>
        <Typography.Paragraph type="secondary">{t('surveys.collect.phoneHint')}</Typography.Paragraph>
        <Space wrap>
          <Button href={surveyImportTemplateUrl(survey.id)} data-testid="import-template">
            {t('surveys.collect.template')}
          </Button>
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => (void upload(f), false)}>
            <Button type="primary" loading={busy} data-testid="import-upload">
              {t('surveys.collect.upload')}
            </Button>
          </Upload>
        </Space>
        {problems.length > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            title={t('surveys.collect.failed', { n: problems.length })}
            description={
              <List
                size="small"
                dataSource={problems}
                renderItem={(p) => <List.Item>{t('surveys.collect.row', { r: p.row, reasons: p.reasons.join('；') })}</List.Item>}
              />
            }
          />
        )}
      </Card>
      {survey.identity === 'invitation' && (
        <Card size="small" title={t('surveys.collect.inviteTitle', { issued: survey.invitations.issued, used: survey.invitations.used })}>
          <Typography.Paragraph type="secondary">{t('surveys.collect.inviteHint')}</Typography.Paragraph>
          <Space wrap>
            <Select
              style={{ width: 160 }}
              value={region}
              onChange={setRegion}
              options={survey.targets.map((x) => ({ value: x.regionId, label: x.regionName }))}
            />
            <InputNumber min={1} max={5000} value={count} onChange={(v) => setCount(v ?? 1)} addonAfter={t('surveys.collect.codes')} />
            <Button onClick={invite} loading={busy} disabled={!region || survey.status === 'closed'} data-testid="invite-generate">
              {t('surveys.collect.generate')}
            </Button>
          </Space>
        </Card>
      )}
    </Space>
  );
}
