import { useState } from 'react';
import { Button, Card, Descriptions, Empty, List, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { fileUrl, getRevision, listRevisions, type RevisionDetail, type RevisionSummary } from '../../../api/applications';
import type { ApplicationDetail } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { fmtSize, fmtTime } from '../../../utils/format';
import ErrorBox from '../../../components/ErrorBox';

/** One submission as it was frozen: the form and the files, withdrawn ones marked but still downloadable. */
function RevisionContent({ applicationId, no }: { applicationId: number; no: number }) {
  const t = useT();
  const r = useAsync(() => getRevision(applicationId, no), [applicationId, no]);
  if (r.error) return <ErrorBox error={r.error} onRetry={r.reload} />;
  if (!r.data) return <Spin size="small" />;
  const d: RevisionDetail = r.data;
  return (
    <div className="revision-content" data-testid={`revision-content-${no}`}>
      <Typography.Text strong>{t('appx.revisions.form')}</Typography.Text>
      <Descriptions column={1} size="small" bordered styles={{ label: { width: 140 } }} style={{ margin: '8px 0 12px' }}>
        <Descriptions.Item label={t('detail.form.content')}>
          <div className="pre">{d.form.content || '—'}</div>
        </Descriptions.Item>
        <Descriptions.Item label={t('detail.form.plan')}>
          <div className="pre">{d.form.plan || '—'}</div>
        </Descriptions.Item>
        <Descriptions.Item label={t('detail.form.contactName')}>{d.form.contactName || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('detail.form.contactPhone')}>{d.form.contactPhone || '—'}</Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('appx.revisions.files')}</Typography.Text>
      {d.evidence.length === 0 ? (
        <div className="muted">{t('appx.revisions.noFiles')}</div>
      ) : (
        <ul className="evidence-files revision-files">
          {d.evidence.map((f) => (
            <li key={f.id} data-testid={`revision-${no}-file-${f.id}`}>
              <span className="muted">
                {f.criterionId ? t('appx.revisions.criterion', { id: f.criterionId }) : t('appx.revisions.general')} ·{' '}
              </span>
              <a href={fileUrl(f.id)} download={f.fileName}>
                {f.fileName}
              </a>
              {f.size !== null && <span className="muted"> · {fmtSize(f.size)}</span>}
              {f.withdrawnAt && (
                <Tooltip title={`${t('appx.withdrawnHint')} · ${fmtTime(f.withdrawnAt)}`}>
                  <Tag className="evidence-tag" data-testid={`revision-${no}-withdrawn-${f.id}`}>
                    {t('appx.withdrawn')}
                  </Tag>
                </Tooltip>
              )}
              <Typography.Text type="secondary" className="sha" copyable={{ text: f.sha256 }} style={{ fontSize: 12 }}>
                {' '}
                SHA-256 {f.sha256.slice(0, 12)}…
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** 历次提交: every submission, frozen when it was made, newest first. */
export default function RevisionsTab({ detail }: { detail: ApplicationDetail }) {
  const t = useT();
  const list = useAsync(() => listRevisions(detail.id), [detail.id, detail.submissions]);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (no: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(no)) next.delete(no);
      else next.add(no);
      return next;
    });
  if (list.error) return <ErrorBox error={list.error} onRetry={list.reload} />;
  return (
    <Card data-testid="revisions">
      {list.data && list.data.items.length === 0 ? (
        <Empty description={t('appx.revisions.empty')} />
      ) : (
        <List<RevisionSummary>
          loading={list.loading && !list.data}
          dataSource={list.data?.items ?? []}
          rowKey="no"
          renderItem={(r) => (
            <List.Item key={r.no} data-testid={`revision-${r.no}`} style={{ display: 'block' }}>
              <Space wrap size={8} style={{ width: '100%', justifyContent: 'space-between' }}>
                <Space wrap size={8}>
                  <strong>{t('appx.revisions.no', { no: r.no })}</strong>
                  <span className="muted">{fmtTime(r.submittedAt)}</span>
                  {r.submittedByName && (
                    <span className="muted">
                      {t('appx.revisions.by')}：{r.submittedByName}
                    </span>
                  )}
                </Space>
                <Button size="small" onClick={() => toggle(r.no)} data-testid={`revision-toggle-${r.no}`}>
                  {open.has(r.no) ? t('appx.revisions.hide') : t('appx.revisions.show')}
                </Button>
              </Space>
              <div className="muted">
                {t('appx.revisions.counts', { answers: r.answerCount, files: r.fileCount })}
                {r.withdrawnCount > 0 && <> · {t('appx.revisions.withdrawnCount', { n: r.withdrawnCount })}</>}
              </div>
              {open.has(r.no) && <RevisionContent applicationId={detail.id} no={r.no} />}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
