import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Popconfirm, Result, Space, Timeline, Typography, Upload } from 'antd';
import { ApiError, errorMessage } from '../../api/client';
import {
  FILING_ACCEPT,
  acceptFiling,
  filingFileUrl,
  getFiling,
  remindFiler,
  returnFiling,
  saveFiling,
  submitFiling,
  uploadFilingFile,
  type Filing,
} from '../../api/filings';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import { fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { KindTag, StateTag } from './tags';
import SitesEditor, { type Site } from './sites';
import SummaryForm, { type SummaryValue } from './summary';

const QUOTE = {
  margin: 0,
  padding: '4px 10px',
  borderInlineStart: '3px solid #d9d9d9',
  background: '#fafafa',
  whiteSpace: 'pre-wrap',
} as const;

/** 报备详情: the filer's form (document, note, 示范点 or summary; submit), the office's decision, the history. */
export default function FilingDetailPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const loaded = useAsync(() => getFiling(Number(id)), [id]);
  const [f, setF] = useState<Filing | null>(null);
  const [note, setNote] = useState('');
  const [sites, setSites] = useState<Site[]>([]);
  const [summary, setSummary] = useState<SummaryValue | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');

  const take = (x: Filing) => {
    setF(x);
    setNote(x.note ?? '');
    setSites(x.sites);
    setSummary(x.summary ?? (x.prefill ? { figures: x.prefill, text: '' } : null));
    setDirty(false);
  };
  useEffect(() => {
    if (loaded.data) take(loaded.data);
  }, [loaded.data]);

  if (loaded.error instanceof ApiError && (loaded.error.status === 404 || loaded.error.status === 400))
    return (
      <PageContainer title={t('filings.detailTitle')}>
        <Result status="404" title={loaded.error.message} extra={<Link to="/filings">{t('filings.back')}</Link>} />
      </PageContainer>
    );
  if (!f)
    return (
      <PageContainer title={t('filings.detailTitle')}>
        {loaded.error && <ErrorBox error={loaded.error} onRetry={loaded.reload} />}
      </PageContainer>
    );

  const act = async (fn: () => Promise<Filing>, ok?: string) => {
    setBusy(true);
    try {
      take(await fn());
      if (ok) message.success(ok);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    saveFiling(f.id, {
      revision: f.revision,
      note: note || null,
      ...(f.requirement.kind === 'demo_sites'
        ? { sites: sites.map((s) => ({ subjectId: s.subjectId, categoryCode: s.categoryCode, note: s.note })) }
        : {}),
      ...(f.requirement.kind === 'summary' && summary ? { summary } : {}),
    });
  const submit = () => act(async () => (dirty ? (await save(), submitFiling(f.id)) : submitFiling(f.id)), t('filings.submitted'));
  const edit = f.canEdit;
  const mark =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setDirty(true);
    };

  return (
    <PageContainer
      title={f.requirement.title}
      tags={
        <Space size={4}>
          <KindTag kind={f.requirement.kind} />
          <StateTag state={f.state} late={f.late} />
        </Space>
      }
      extra={
        <Space wrap>
          <Link to="/filings">{t('filings.back')}</Link>
          {f.canRemind && (
            <Button
              onClick={() =>
                void act(async () => (await remindFiler(f.requirement.id, f.org.id), getFiling(f.id)), t('filings.remindedOne'))
              }
            >
              {t('filings.remind')}
            </Button>
          )}
          {f.canDecide && (
            <>
              <Button danger onClick={() => setReturning(true)} data-testid="filing-return">
                {t('filings.return')}
              </Button>
              <Popconfirm title={t('filings.accept')} onConfirm={() => act(() => acceptFiling(f.id))}>
                <Button type="primary" data-testid="filing-accept">
                  {t('filings.accept')}
                </Button>
              </Popconfirm>
            </>
          )}
          {edit && (
            <>
              <Button disabled={!dirty} loading={busy} onClick={() => void act(save, t('filings.saved'))} data-testid="filing-save">
                {t('filings.save')}
              </Button>
              <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="filing-submit">
                {f.status === 'returned' ? t('filings.resubmit') : t('filings.submit')}
              </Button>
            </>
          )}
        </Space>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {f.state === 'returned' && f.reason && (
          <Alert type="warning" showIcon message={t('filings.returnedBecause', { reason: f.reason })} />
        )}
        {f.state === 'accepted' && (
          <Alert type="success" showIcon message={t('filings.acceptedLocked', { office: f.campaign.officeName })} />
        )}
        {f.state === 'submitted' && <Alert type="info" showIcon message={t('filings.waiting', { office: f.campaign.officeName })} />}
        <Card>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('filings.col.filer')}>{f.org.name}</Descriptions.Item>
            <Descriptions.Item label={t('filings.col.office')}>{f.campaign.officeName}</Descriptions.Item>
            <Descriptions.Item label={t('filings.col.campaign')}>{f.campaign.name}</Descriptions.Item>
            <Descriptions.Item label={t('filings.col.dueOn')}>{f.requirement.dueOn}</Descriptions.Item>
            <Descriptions.Item label={t('filings.col.submittedAt')}>{fmtTime(f.submittedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('filings.accept')}>
              {f.decidedBy ? `${f.decidedBy} ${fmtTime(f.decidedAt)}` : '—'}
            </Descriptions.Item>
          </Descriptions>
          {f.requirement.text && (
            <div style={{ marginTop: 8 }}>
              <Typography.Text type="secondary">{t('filings.source')}</Typography.Text>
              <p style={QUOTE}>{f.requirement.text}</p>
            </div>
          )}
        </Card>
        <Card title={t('filings.document')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {f.fileName ? (
              <a href={filingFileUrl(f.id)} data-testid="filing-file">
                {f.fileName}
              </a>
            ) : (
              <Typography.Text type="secondary">{t('filings.noFile')}</Typography.Text>
            )}
            {edit && (
              <Upload
                accept={FILING_ACCEPT}
                showUploadList={false}
                customRequest={({ file }) => void act(() => uploadFilingFile(f.id, file as File))}
              >
                <Button loading={busy} data-testid="filing-upload">
                  {f.fileName ? t('filings.replace') : t('filings.upload')}
                </Button>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {t('filings.uploadHint')}
                </Typography.Text>
              </Upload>
            )}
            {(edit || note) && (
              <>
                <Typography.Text strong>{t('filings.note')}</Typography.Text>
                <Input.TextArea
                  rows={2}
                  maxLength={2000}
                  readOnly={!edit}
                  value={note}
                  onChange={(e) => mark(setNote)(e.target.value)}
                  data-testid="filing-note"
                />
              </>
            )}
          </Space>
        </Card>
        {f.requirement.kind === 'demo_sites' && (
          <Card title={t('filings.sites')}>
            <SitesEditor filing={f} value={sites} editable={edit} onChange={mark(setSites)} />
          </Card>
        )}
        {f.requirement.kind === 'summary' && summary && (
          <Card title={t('filings.summary')}>
            <SummaryForm value={summary} prefill={f.prefill} editable={edit} onChange={mark(setSummary)} />
          </Card>
        )}
        <Card title={t('filings.history')}>
          <Timeline
            items={[...f.history].reverse().map((h) => ({
              color: h.action === 'returned' ? 'red' : h.action === 'accepted' ? 'green' : h.action === 'reminded' ? 'orange' : 'blue',
              children: (
                <span>
                  <strong>{t(`filings.history.${h.action}`)}</strong> · {h.org ?? ''} {h.by ?? ''} · {fmtTime(h.at)}
                  {h.reason && <div className="muted">{h.reason}</div>}
                </span>
              ),
            }))}
          />
        </Card>
      </Space>
      <Modal
        open={returning}
        title={t('filings.return')}
        onCancel={() => setReturning(false)}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy }}
        onOk={() =>
          void act(() => returnFiling(f.id, reason.trim())).then((ok) => {
            if (ok) {
              setReturning(false);
              setReason('');
            }
          })
        }
      >
        <Input.TextArea
          rows={4}
          maxLength={2000}
          placeholder={t('filings.returnReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="filing-return-reason"
        />
      </Modal>
    </PageContainer>
  );
}
