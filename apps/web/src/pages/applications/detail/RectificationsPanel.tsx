import { useState } from 'react';
import { App, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import type { Role } from '@pingan/core';
import { ApiError, errorMessage } from '../../../api/client';
import { answerRectification, listRectifications, recheckRectification, type Rectification, type RectStatus } from '../../../api/experts';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { fmtDate, fmtTime } from '../../../utils/format';

const STATUS_COLOR: Record<RectStatus, string> = { open: 'orange', answered: 'blue', accepted: 'green', reopened: 'red' };
const READERS: readonly Role[] = ['applicant', 'expert', 'safety_office'];

function AnswerForm({ r, onDone }: { r: Rectification; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      await answerRectification(r.id, text.trim(), file);
      message.success(t('rect.answered'));
      setText('');
      setFile(null);
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={5000}
        autoSize={{ minRows: 2 }}
        placeholder={t('rect.answerPlaceholder')}
        data-testid={`rect-answer-text-${r.id}`}
      />
      <input
        type="file"
        accept=".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        style={{ maxWidth: '100%' }}
        data-testid={`rect-answer-file-${r.id}`}
      />
      <Button type="primary" disabled={!text.trim()} loading={busy} onClick={send} data-testid="rect-answer">
        {t('rect.answer')}
      </Button>
    </Space>
  );
}

function RecheckForm({ r, onDone }: { r: Rectification; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async (accepted: boolean) => {
    setBusy(true);
    try {
      await recheckRectification(r.id, accepted, note.trim() || null);
      message.success(accepted ? t('rect.acceptedMsg') : t('rect.reopenedMsg'));
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
      <Input.TextArea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={2000}
        autoSize={{ minRows: 1 }}
        placeholder={t('rect.notePlaceholder')}
      />
      <Space wrap>
        <Button type="primary" loading={busy} onClick={() => send(true)} data-testid="rect-recheck-accept">
          {t('rect.accept')}
        </Button>
        <Button danger loading={busy} onClick={() => send(false)} data-testid="rect-recheck-reopen">
          {t('rect.reopen')}
        </Button>
      </Space>
    </Space>
  );
}

/**
 * 整改: the requests on an application, for its applicant (answers), its assigned experts
 * (re-check) and the campaign office (reads). Renders nothing for anyone else.
 */
export default function RectificationsPanel({
  applicationId,
  role,
  onChanged,
}: {
  applicationId: number;
  role: Role;
  onChanged?: () => void;
}) {
  const t = useT();
  const can = READERS.includes(role);
  const { data, error, reload } = useAsync(() => (can ? listRectifications(applicationId) : Promise.resolve(null)), [applicationId, can]);
  if (!can || !data || (error instanceof ApiError && error.status === 404)) return null;
  if (!data.items.length && role !== 'expert') return null;
  const done = () => {
    reload();
    onChanged?.();
  };
  return (
    <Card size="small" title={t('rect.title')} style={{ marginBottom: 12 }} data-testid="rect-panel">
      {!data.items.length ? (
        <Typography.Text type="secondary">{t('rect.none')}</Typography.Text>
      ) : (
        <List
          dataSource={data.items}
          renderItem={(r) => (
            <List.Item style={{ display: 'block' }} data-testid={`rect-${r.id}`}>
              <Space wrap size={4}>
                <Tag color={STATUS_COLOR[r.status]}>{t(`rect.status.${r.status}`)}</Tag>
                <Typography.Text strong>{t('rect.criterion', { id: r.criterionId })}</Typography.Text>
                <Typography.Text type="secondary">
                  {t('rect.due', { d: fmtDate(r.dueOn) })}
                  {r.requestedByName ? ` · ${r.requestedByName}` : ''}
                </Typography.Text>
              </Space>
              <Typography.Paragraph style={{ margin: '4px 0' }}>{r.request}</Typography.Paragraph>
              {r.answer && (
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
                  {t('rect.answerLabel')}（{fmtTime(r.answeredAt)}）：{r.answer}
                </Typography.Paragraph>
              )}
              {r.files.map((f) => (
                <div key={f.id}>
                  <a href={`/api/files/${f.id}`}>{f.fileName}</a>
                </div>
              ))}
              {r.recheckNote && (
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
                  {t('rect.recheckLabel')}：{r.recheckNote}
                </Typography.Paragraph>
              )}
              {r.canAnswer && <AnswerForm r={r} onDone={done} />}
              {r.canRecheck && <RecheckForm r={r} onDone={done} />}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
