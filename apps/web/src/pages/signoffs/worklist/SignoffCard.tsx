import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, Checkbox, Input, InputNumber, Modal, Radio, Space, Tag, Typography } from 'antd';
import { errorMessage } from '../../../api/client';
import { saveSignoffScores, signSignoff, type ScoreInput, type SignoffCriterion, type SignoffItem } from '../../../api/signoffs';
import { useT } from '../../../locales';

interface Draft {
  met: boolean | null;
  score: number | null;
  notApplicable: boolean;
  comment: string;
}

const toDraft = (c: SignoffCriterion): Draft => ({
  met: c.current?.met ?? null,
  score: c.current?.score ?? null,
  notApplicable: c.current?.notApplicable ?? false,
  comment: c.current?.comment ?? '',
});

const sameDraft = (a: Draft, b: Draft) =>
  a.met === b.met && a.score === b.score && a.notApplicable === b.notApplicable && a.comment.trim() === b.comment.trim();
const judged = (d: Draft) => d.notApplicable || d.met !== null || d.score !== null;

/** One application in the department's worklist: its criteria, each judged yes/no or scored, then 签署. */
export default function SignoffCard({ item, onChanged }: { item: SignoffItem; onChanged: () => void }) {
  const t = useT();
  const { message, notification } = App.useApp();
  const initial = useMemo(() => Object.fromEntries(item.criteria.map((c) => [c.id, toDraft(c)])), [item]);
  const [drafts, setDrafts] = useState<Record<string, Draft>>(initial);
  const [overall, setOverall] = useState(item.reviewComment ?? '');
  const [saving, setSaving] = useState(false);
  const [signing, setSigning] = useState(false);
  const [signOpen, setSignOpen] = useState(false);
  const [signComment, setSignComment] = useState('');
  const open = item.status === 'pending';
  const changed = item.criteria.filter((c) => !sameDraft(drafts[c.id]!, initial[c.id]!));
  const dirty = changed.length > 0 || overall.trim() !== (item.reviewComment ?? '').trim();
  const done = item.criteria.filter((c) => judged(drafts[c.id]!)).length;

  const set = (id: string, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [id]: { ...d[id]!, ...patch } }));

  const save = async () => {
    setSaving(true);
    try {
      const scores: ScoreInput[] = changed.map((c) => {
        const d = drafts[c.id]!;
        return {
          criterionId: c.id,
          met: d.notApplicable ? null : d.met,
          score: d.notApplicable ? null : d.score,
          notApplicable: d.notApplicable,
          comment: d.comment.trim() || null,
        };
      });
      const r = await saveSignoffScores(item.id, { scores, comment: overall.trim() || null });
      message.success(t('signoffs.saved', { n: r.judged, m: r.total }));
      onChanged();
    } catch (e) {
      notification.error({ title: item.application.subjectName, description: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  const sign = async () => {
    setSigning(true);
    try {
      const r = await signSignoff(item.id, signComment.trim() || null);
      message.success(r.application.advanced ? t('signoffs.signedAdvanced') : t('signoffs.signed'));
      setSignOpen(false);
      onChanged();
    } catch (e) {
      notification.error({ title: item.application.subjectName, description: errorMessage(e) });
    } finally {
      setSigning(false);
    }
  };

  const state = item.late ? 'late' : item.status;
  const color = { pending: 'gold', late: 'red', signed: 'green', overridden: 'purple' }[state];

  return (
    <Card
      data-testid={`signoff-row-${item.application.id}`}
      style={{ marginBottom: 16 }}
      title={
        <Space wrap size={8}>
          <strong>{item.application.subjectName}</strong>
          <Tag>{item.application.categoryName}</Tag>
          <Tag color={color} data-testid={`signoff-status-${item.id}`}>
            {t(`signoffs.status.${state}`)}
          </Tag>
        </Space>
      }
      extra={
        <Link to={`/applications/${item.application.id}`} data-testid={`signoff-view-${item.application.id}`}>
          {t('signoffs.viewApplication')}
        </Link>
      }
    >
      <Space wrap size={16} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{item.application.campaignName}</Typography.Text>
        <Typography.Text type={item.late ? 'danger' : 'secondary'}>
          {item.deadline ? t('signoffs.deadline', { d: item.deadline }) : t('signoffs.noDeadline')}
        </Typography.Text>
        <Typography.Text data-testid={`signoff-progress-${item.id}`}>
          {t('signoffs.progress', { n: done, m: item.criteria.length })}
        </Typography.Text>
      </Space>
      {item.status === 'signed' && item.signedAt && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('signoffs.signedAt', { d: dayjs(item.signedAt).format('YYYY-MM-DD HH:mm') })}
          description={item.comment ?? undefined}
        />
      )}
      {item.status === 'overridden' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('signoffs.overriddenReason', { r: item.overrideReason ?? '' })}
        />
      )}
      <div className="signoff-criteria">
        {item.criteria.map((c) => {
          const d = drafts[c.id]!;
          const key = `${item.id}-${c.id}`;
          return (
            <div key={c.id} data-testid={`signoff-criterion-${key}`} style={{ borderTop: '1px solid rgba(5,5,5,0.06)', padding: '10px 0' }}>
              <div style={{ marginBottom: 6 }}>
                <Space wrap size={6}>
                  <strong>{c.id}</strong>
                  {c.title && <strong>{c.title}</strong>}
                  <Tag color={c.role === 'lead' ? 'blue' : 'default'}>{t(`signoffs.role.${c.role}`)}</Tag>
                  <Tag>{t('signoffs.points', { n: c.points })}</Tag>
                  {c.veto && <Tag color="red">{t('signoffs.veto')}</Tag>}
                </Space>
                <div style={{ marginTop: 4 }}>{c.text}</div>
              </div>
              <Space wrap size={12} align="center">
                {c.judge === 'yesno' ? (
                  <Radio.Group
                    disabled={!open}
                    value={d.notApplicable ? 'na' : d.met === null ? undefined : d.met ? 'yes' : 'no'}
                    onChange={(e) => {
                      const v = e.target.value as 'yes' | 'no' | 'na';
                      set(c.id, v === 'na' ? { notApplicable: true, met: null } : { notApplicable: false, met: v === 'yes' });
                    }}
                    data-testid={`signoff-met-${key}`}
                  >
                    <Radio value="yes" data-testid={`signoff-met-${key}-yes`}>
                      {t('signoffs.met')}
                    </Radio>
                    <Radio value="no" data-testid={`signoff-met-${key}-no`}>
                      {t('signoffs.notMet')}
                    </Radio>
                    <Radio value="na" data-testid={`signoff-met-${key}-na`}>
                      {t('signoffs.na')}
                    </Radio>
                  </Radio.Group>
                ) : (
                  <>
                    <InputNumber
                      disabled={!open || d.notApplicable}
                      min={0}
                      max={c.points}
                      step={0.5}
                      value={d.score}
                      placeholder={t('signoffs.scorePlaceholder')}
                      onChange={(v) => set(c.id, { score: typeof v === 'number' ? v : null })}
                      suffix={`/ ${c.points}`}
                      style={{ width: 140 }}
                      data-testid={`signoff-score-${key}`}
                    />
                    <Checkbox
                      disabled={!open}
                      checked={d.notApplicable}
                      onChange={(e) => set(c.id, { notApplicable: e.target.checked, score: e.target.checked ? null : d.score })}
                      data-testid={`signoff-na-${key}`}
                    >
                      {t('signoffs.na')}
                    </Checkbox>
                  </>
                )}
                <Input
                  disabled={!open}
                  value={d.comment}
                  maxLength={2000}
                  placeholder={t('signoffs.itemComment')}
                  onChange={(e) => set(c.id, { comment: e.target.value })}
                  style={{ width: 320, maxWidth: '100%' }}
                  data-testid={`signoff-comment-${key}`}
                />
              </Space>
            </div>
          );
        })}
      </div>
      {open && (
        <>
          <Input.TextArea
            value={overall}
            maxLength={2000}
            autoSize={{ minRows: 2, maxRows: 6 }}
            placeholder={t('signoffs.overallComment')}
            onChange={(e) => setOverall(e.target.value)}
            style={{ margin: '12px 0' }}
            data-testid={`signoff-overall-${item.id}`}
          />
          <Space wrap>
            <Button onClick={save} loading={saving} disabled={!dirty} data-testid={`signoff-save-${item.id}`}>
              {t('signoffs.save')}
            </Button>
            <Button
              type="primary"
              onClick={() => (dirty ? message.warning(t('signoffs.unsaved')) : setSignOpen(true))}
              data-testid={`signoff-sign-${item.id}`}
            >
              {t('signoffs.sign')}
            </Button>
          </Space>
        </>
      )}
      <Modal
        open={signOpen}
        title={t('signoffs.signTitle')}
        okText={t('signoffs.sign')}
        cancelText={t('common.cancel')}
        confirmLoading={signing}
        okButtonProps={{ 'data-testid': `signoff-sign-ok-${item.id}` } as never}
        onOk={sign}
        onCancel={() => setSignOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('signoffs.signHint')}</Typography.Paragraph>
        <Input.TextArea
          value={signComment}
          maxLength={2000}
          autoSize={{ minRows: 2, maxRows: 6 }}
          placeholder={t('signoffs.signComment')}
          onChange={(e) => setSignComment(e.target.value)}
          data-testid={`signoff-sign-comment-${item.id}`}
        />
      </Modal>
    </Card>
  );
}
