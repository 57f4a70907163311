import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Result,
  Space,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import {
  INCIDENT_TYPE_LABELS,
  LEVEL_LABELS,
  consequencesProblem,
  sortConsequences,
  titleChange,
  type Consequence,
  type TitleStatusStored,
} from '@pingan/core';
import { ApiError, errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../locales';
import { fmtSize, fmtTime } from '../../utils/format';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import Stars from '../../components/Stars';
import {
  EVIDENCE_ACCEPT,
  confirmIncident,
  decideAppeal,
  dismissIncident,
  fileAppeal,
  getIncident,
  incidentFileUrl,
  uploadIncidentFile,
  type Incident,
  type IncidentTitle,
} from './api';
import { AppealTag, ConsequenceTags, IncidentStatusTag, TitleStatusTag } from './tags';

type Action = 'revoke' | 'suspend' | 'lower_stars' | 'keep';
const STATUS_TO_PUBLIC = { valid: 'valid', suspended: 'yellow', revoked: 'revoked' } as const;
const QUOTE = { margin: '6px 0 0', padding: '4px 10px', borderInlineStart: '3px solid #d9d9d9', background: '#fafafa' } as const;
const EVENT_KINDS = ['conferred', 'suspended', 'revoked', 'stars_lowered', 'restored', 'appeal_filed', 'appeal_upheld', 'appeal_dismissed'];

/** 事件详情: the incident, the proposal and the titles it touches, the office's decision, the holder's appeal. */
export default function IncidentDetailPage() {
  const { id } = useParams();
  const { t, pick } = useI18n();
  const { data: inc, error, loading, reload } = useAsync(() => getIncident(Number(id)), [id]);
  const [justDone, setJustDone] = useState<Incident | null>(null);
  const shown = justDone && justDone.id === inc?.id ? justDone : inc;
  const holder = useMe().role === 'applicant';
  useEffect(() => setJustDone(null), [inc]);

  if (error instanceof ApiError && (error.status === 404 || error.status === 400))
    return (
      <PageContainer title={t('incidents.detailTitle')}>
        <Result status="404" title={error.message} extra={<Link to="/incidents">{t('incidents.back')}</Link>} />
      </PageContainer>
    );
  const done = (next: Incident) => {
    setJustDone(next);
  };

  return (
    <PageContainer
      title={shown ? `${pick(INCIDENT_TYPE_LABELS[shown.type])} · ${shown.targetName}` : t('incidents.detailTitle')}
      tags={shown && <IncidentStatusTag status={shown.status} />}
      extra={<Link to="/incidents">{t('incidents.back')}</Link>}
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !shown && <Card loading />}
      {shown && (
        <div className="incident-detail" data-testid="incident-detail">
          <Banner inc={shown} />
          {/* the holder's one action, first: on a phone it must not sit below the whole record */}
          {holder && <AppealSection inc={shown} onDone={done} />}
          <Facts inc={shown} />
          <Decision inc={shown} />
          {shown.canDecide && <DecisionPanel inc={shown} onDone={done} />}
          <Titles inc={shown} />
          {!holder && <AppealSection inc={shown} onDone={done} />}
          {!holder && <Evidence inc={shown} onChange={reload} />}
        </div>
      )}
    </PageContainer>
  );
}

function Banner({ inc }: { inc: Incident }) {
  const { t } = useI18n();
  if (inc.status === 'reported')
    return (
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={inc.canDecide ? t('incidents.banner.toDecide') : t('incidents.banner.reported')}
      />
    );
  if (inc.status === 'dismissed')
    return <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('incidents.banner.dismissed')} />;
  if (inc.appeal?.status === 'upheld')
    return (
      <Alert type="success" showIcon style={{ marginBottom: 16 }} data-testid="incident-banner" title={t('incidents.banner.upheld')} />
    );
  const open = inc.appealUntil !== null && inc.today <= inc.appealUntil;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="incident-banner"
      title={
        <Space wrap size={4}>
          {t('incidents.banner.confirmed')}
          <ConsequenceTags list={inc.consequences} />
        </Space>
      }
      description={
        inc.appealUntil &&
        (inc.appeal
          ? inc.appeal.status === 'dismissed'
            ? t('incidents.banner.appealDismissed')
            : t('incidents.banner.appealFiled')
          : open
            ? t('incidents.banner.appealOpen', { date: inc.appealUntil })
            : t('incidents.banner.appealClosed', { date: inc.appealUntil }))
      }
    />
  );
}

function Facts({ inc }: { inc: Incident }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('incidents.facts')} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('incidents.col.occurredOn')}>{inc.occurredOn}</Descriptions.Item>
        <Descriptions.Item label={t('incidents.col.target')}>
          {inc.targetName}
          {inc.target === 'region' && <Tag style={{ marginInlineStart: 8 }}>{t('incidents.target.region')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('incidents.col.region')}>{inc.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('incidents.col.place')}>{inc.place}</Descriptions.Item>
        <Descriptions.Item label={t('incidents.col.reportedBy')}>
          {inc.reportedByOrg}
          {inc.reportedBy && ` · ${inc.reportedBy}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('incidents.recordedAt')}>{fmtTime(inc.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('incidents.description')} span={{ xs: 1, sm: 2, lg: 3 }}>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{inc.description}</Typography.Paragraph>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function ProposalText({ p }: { p: Incident['proposal'] }) {
  const { t, pick } = useI18n();
  return (
    <div className="incident-proposal">
      <Space wrap size={4}>
        <ConsequenceTags list={p.consequences} />
        <Tag>{t(`incidents.basis.${p.basis}` as MessageKey)}</Tag>
      </Space>
      <div style={{ marginTop: 6 }}>{pick(p.note)}</div>
      {p.vetoCriteria.map((v) => (
        <blockquote key={v.criterionId} style={QUOTE}>
          {t('incidents.vetoItem', { id: v.criterionId })}
          {v.title ? `「${v.title}」` : ''}
          {v.text}
        </blockquote>
      ))}
      {p.sources.map((s) => (
        <blockquote key={s.file + s.quote} className="muted" style={QUOTE}>
          {s.quote} <Typography.Text type="secondary">（{s.file.slice(0, 3)}）</Typography.Text>
        </blockquote>
      ))}
    </div>
  );
}

function Decision({ inc }: { inc: Incident }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={inc.status === 'reported' ? t('incidents.proposal') : t('incidents.decision')} style={{ marginBottom: 16 }}>
      {inc.status !== 'reported' && (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }} data-testid="incident-decision">
          <Descriptions.Item label={t('incidents.col.consequence')}>
            {inc.status === 'dismissed' ? t('incidents.status.dismissed') : <ConsequenceTags list={inc.consequences} />}
          </Descriptions.Item>
          <Descriptions.Item label={t('incidents.decidedBy')}>
            {inc.decidedBy ?? '—'} · {inc.decidedOn}
          </Descriptions.Item>
          <Descriptions.Item label={t('incidents.reason')} span={{ xs: 1, sm: 2 }}>
            {inc.decisionReason}
          </Descriptions.Item>
          {inc.appealUntil && (
            <Descriptions.Item label={t('incidents.col.appealUntil')}>
              {t('incidents.inclusive', { date: inc.appealUntil })}
            </Descriptions.Item>
          )}
          {inc.ineligibleYear && (
            <Descriptions.Item label={t('incidents.ineligible')}>
              {t('incidents.ineligibleYear', { year: inc.ineligibleYear })}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      <Typography.Text type="secondary">{t('incidents.proposedByRules')}</Typography.Text>
      <ProposalText p={inc.proposal} />
    </Card>
  );
}

/** The change one title gets (or got), in words: what, and the status (and stars) before and after. */
function ChangeLine({
  from,
  change,
}: {
  from: { status: TitleStatusStored; stars: number; scheme: 'stars' | 'title' };
  change: Pick<IncidentTitle['change'], 'action' | 'toStatus' | 'toStars' | 'note'>;
}) {
  const { t, pick } = useI18n();
  if (!change.action) return <span className="muted">{change.note ? pick(change.note) : t('incidents.change.none')}</span>;
  const stars = change.action === 'lower_stars' && from.scheme === 'stars';
  return (
    <Space wrap size={4}>
      <strong>{t(`incidents.change.${change.action}` as MessageKey)}：</strong>
      {stars ? <Stars value={from.stars} size={12} /> : <TitleStatusTag status={STATUS_TO_PUBLIC[from.status]} />}
      <span>→</span>
      {stars ? <Stars value={change.toStars} size={12} /> : <TitleStatusTag status={STATUS_TO_PUBLIC[change.toStatus]} />}
      {change.note && <span className="muted">（{pick(change.note)}）</span>}
    </Space>
  );
}

const EVENT_COLORS: Record<string, string> = {
  conferred: 'green',
  suspended: 'gold',
  revoked: 'red',
  stars_lowered: 'orange',
  restored: 'green',
  appeal_filed: 'blue',
  appeal_upheld: 'green',
  appeal_dismissed: 'gray',
};

function Titles({ inc }: { inc: Incident }) {
  const { t, pick } = useI18n();
  return (
    <Card size="small" title={t('incidents.titles')} style={{ marginBottom: 16 }}>
      {!inc.titles.length && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidents.noTitles')} />}
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        {inc.titles.map((x) => (
          <Card
            key={x.titleId}
            type="inner"
            size="small"
            data-testid={`incident-title-${x.titleId}`}
            title={
              <Space wrap size={6}>
                <strong>
                  {x.year}年度 {x.titleName}
                </strong>
                <TitleStatusTag status={x.publicStatus} />
              </Space>
            }
          >
            <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
              <Descriptions.Item label={t('incidents.title.level')}>
                {x.scheme === 'title' ? pick(LEVEL_LABELS.title) : <Stars value={x.stars} size={12} />}
              </Descriptions.Item>
              <Descriptions.Item label={t('incidents.title.conferredBy')}>{x.conferredBy}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.title.certificate')}>
                <code style={{ wordBreak: 'break-all' }}>{x.certificateNo}</code>
              </Descriptions.Item>
              <Descriptions.Item label={t('incidents.title.validUntil')}>{x.validUntil ?? '—'}</Descriptions.Item>
              <Descriptions.Item
                label={inc.status === 'reported' ? t('incidents.title.wouldChange') : t('incidents.title.changed')}
                span={{ xs: 1, sm: 2 }}
              >
                <ChangeLine
                  from={{
                    status: (x.fromStatus as TitleStatusStored | null) ?? x.status,
                    stars: x.fromStars ?? x.stars,
                    scheme: x.scheme,
                  }}
                  change={x.change}
                />
              </Descriptions.Item>
            </Descriptions>
            {x.events.length > 0 && (
              <>
                <Typography.Text type="secondary">{t('incidents.title.history')}</Typography.Text>
                <Timeline
                  style={{ marginTop: 8, marginBottom: 0 }}
                  items={x.events.map((e, i) => ({
                    key: i,
                    color: EVENT_COLORS[e.kind] ?? 'gray',
                    children: (
                      <div data-event={e.kind}>
                        <strong>{EVENT_KINDS.includes(e.kind) ? t(`incidents.event.${e.kind}` as MessageKey) : e.kind}</strong>{' '}
                        <span className="muted">{e.on}</span>
                        {e.reason && <div className="muted">{e.reason}</div>}
                      </div>
                    ),
                  }))}
                />
              </>
            )}
          </Card>
        ))}
      </Space>
    </Card>
  );
}

function toConsequences(action: Action, lose: boolean): Consequence[] {
  const list: Consequence[] = [...(action !== 'keep' ? [action] : []), ...(lose ? (['lose_eligibility'] as const) : [])];
  return list.length ? sortConsequences(list) : ['none'];
}

/** 确认处理: the office takes the proposal or adjusts it, gives the reason, and sees what each title will become. */
function DecisionPanel({ inc, onDone }: { inc: Incident; onDone: (i: Incident) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const p = inc.proposal.consequences;
  const [action, setAction] = useState<Action>((['revoke', 'suspend', 'lower_stars'] as const).find((a) => p.includes(a)) ?? 'keep');
  const [lose, setLose] = useState(p.includes('lose_eligibility'));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [dismissing, setDismissing] = useState(false);
  const consequences = toConsequences(action, lose);
  const problem = consequencesProblem(consequences);
  const preview = useMemo(() => inc.titles.map((x) => ({ x, c: titleChange(x, consequences, inc.today) })), [inc, consequences]);
  const changed = preview.filter((v) => v.c.action).length;
  const adjusted = consequences.join() !== p.join();

  const confirm = async () => {
    setBusy(true);
    try {
      onDone(await confirmIncident(inc.id, { consequences, reason: reason.trim() }));
      message.success(t('incidents.confirmed', { n: changed }));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const dismiss = async () => {
    setBusy(true);
    try {
      onDone(await dismissIncident(inc.id, reason.trim()));
      setDismissing(false);
      message.success(t('incidents.dismissedDone'));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('incidents.decide.title')}
      style={{ marginBottom: 16, borderColor: '#faad14' }}
      data-testid="incident-decide"
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <div>
          <Typography.Text strong>{t('incidents.decide.action')}</Typography.Text>
          <div style={{ marginTop: 6 }}>
            <Radio.Group
              value={action}
              onChange={(e) => setAction(e.target.value as Action)}
              data-testid="incident-action"
              options={[
                { value: 'revoke', label: t('incidents.change.revoke') },
                { value: 'suspend', label: t('incidents.change.suspend') },
                { value: 'lower_stars', label: t('incidents.change.lower_stars') },
                { value: 'keep', label: t('incidents.decide.keep') },
              ]}
            />
          </div>
          <Checkbox checked={lose} onChange={(e) => setLose(e.target.checked)} style={{ marginTop: 8 }} data-testid="incident-lose">
            {t('incidents.decide.lose', { year: Number(inc.occurredOn.slice(0, 4)) + 1 })}
          </Checkbox>
        </div>
        {adjusted && <Alert type="warning" showIcon title={t('incidents.decide.adjusted')} />}
        <div>
          <Typography.Text strong>{t('incidents.decide.preview', { n: changed })}</Typography.Text>
          <ul style={{ margin: '6px 0 0', paddingInlineStart: 20 }}>
            {preview.map(({ x, c }) => (
              <li key={x.titleId}>
                {x.year}年度 {x.titleName}：<ChangeLine from={x} change={c} />
              </li>
            ))}
            {!preview.length && <li className="muted">{t('incidents.noTitles')}</li>}
          </ul>
        </div>
        <Input.TextArea
          rows={3}
          maxLength={2000}
          showCount
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('incidents.decide.reasonPlaceholder')}
          data-testid="incident-reason"
        />
        {problem && <Alert type="error" showIcon title={problem} />}
        <Space wrap>
          <Popconfirm
            title={t('incidents.decide.sure')}
            description={t('incidents.decide.sureBody', { n: changed })}
            onConfirm={confirm}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            disabled={!reason.trim() || !!problem}
          >
            <Button type="primary" danger loading={busy} disabled={!reason.trim() || !!problem} data-testid="incident-confirm">
              {t('incidents.decide.confirm')}
            </Button>
          </Popconfirm>
          <Button onClick={() => setDismissing(true)} disabled={busy} data-testid="incident-dismiss">
            {t('incidents.decide.dismiss')}
          </Button>
        </Space>
      </Space>
      <Modal
        open={dismissing}
        title={t('incidents.decide.dismissTitle')}
        onCancel={() => setDismissing(false)}
        onOk={dismiss}
        okButtonProps={{ disabled: !reason.trim(), loading: busy }}
      >
        <Input.TextArea
          rows={3}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('incidents.decide.dismissReason')}
        />
      </Modal>
    </Card>
  );
}

/** 申诉: the holder's form within the deadline, the appeal itself, and the office's answer. */
function AppealSection({ inc, onDone }: { inc: Incident; onDone: (i: Incident) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  if (inc.status !== 'confirmed' || !inc.appealUntil) return null;
  const run = async (fn: () => Promise<Incident>, ok: string) => {
    setBusy(true);
    try {
      onDone(await fn());
      message.success(ok);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const a = inc.appeal;
  return (
    <Card size="small" title={t('incidents.appealTitle')} style={{ marginBottom: 16 }} data-testid="incident-appeal">
      {a && (
        <Descriptions size="small" column={1} style={{ marginBottom: inc.canDecideAppeal ? 12 : 0 }}>
          <Descriptions.Item label={t('incidents.appealStatus')}>
            <AppealTag status={a.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('incidents.appealBy')}>
            {a.filedBy} · {fmtTime(a.filedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('incidents.appealText')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{a.text}</span>
          </Descriptions.Item>
          {a.reply && (
            <Descriptions.Item label={t('incidents.appealReply')}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{a.reply}</span>
              <div className="muted">
                {a.decidedBy} · {fmtTime(a.decidedAt)}
              </div>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {!a && !inc.canAppeal && (
        <Typography.Text type="secondary">
          {inc.today > inc.appealUntil
            ? t('incidents.banner.appealClosed', { date: inc.appealUntil })
            : t('incidents.noAppeal', { date: inc.appealUntil })}
        </Typography.Text>
      )}
      {inc.canAppeal && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="info" showIcon title={t('incidents.appealHint', { date: inc.appealUntil })} />
          <Input.TextArea
            rows={5}
            maxLength={5000}
            showCount
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('incidents.appealPlaceholder')}
            data-testid="appeal-text"
          />
          <Button
            type="primary"
            block
            style={{ marginTop: 16 }}
            loading={busy}
            disabled={!text.trim()}
            onClick={() => run(() => fileAppeal(inc.id, text.trim()), t('incidents.appealSent'))}
            data-testid="appeal-submit"
          >
            {t('incidents.appealSubmit')}
          </Button>
        </Space>
      )}
      {inc.canDecideAppeal && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            rows={3}
            maxLength={5000}
            showCount
            value={reply}
            onChange={(e) => setReply(e.target.value)}
            placeholder={t('incidents.replyPlaceholder')}
            data-testid="appeal-reply"
          />
          <Space wrap>
            <Popconfirm
              title={t('incidents.upholdSure')}
              onConfirm={() => run(() => decideAppeal(inc.id, { decision: 'upheld', reply: reply.trim() }), t('incidents.appealDecided'))}
              disabled={!reply.trim()}
            >
              <Button type="primary" loading={busy} disabled={!reply.trim()} data-testid="appeal-uphold">
                {t('incidents.uphold')}
              </Button>
            </Popconfirm>
            <Button
              loading={busy}
              disabled={!reply.trim()}
              onClick={() => run(() => decideAppeal(inc.id, { decision: 'dismissed', reply: reply.trim() }), t('incidents.appealDecided'))}
              data-testid="appeal-dismiss"
            >
              {t('incidents.rejectAppeal')}
            </Button>
          </Space>
        </Space>
      )}
    </Card>
  );
}

function Evidence({ inc, onChange }: { inc: Incident; onChange: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  return (
    <Card
      size="small"
      title={t('incidents.evidence')}
      style={{ marginBottom: 16 }}
      extra={
        inc.canUpload && (
          <Upload
            accept={EVIDENCE_ACCEPT}
            showUploadList={false}
            beforeUpload={async (f) => {
              setUploading(true);
              try {
                await uploadIncidentFile(inc.id, f);
                message.success(t('incidents.uploaded', { name: f.name }));
                onChange();
              } catch (e) {
                message.error(errorMessage(e));
              } finally {
                setUploading(false);
              }
              return false;
            }}
          >
            <Button size="small" loading={uploading} data-testid="incident-upload">
              {t('incidents.addEvidence')}
            </Button>
          </Upload>
        )
      }
    >
      {!inc.files.length && <Typography.Text type="secondary">{t('incidents.noEvidence')}</Typography.Text>}
      <ul style={{ margin: 0, paddingInlineStart: 20 }}>
        {inc.files.map((f) => (
          <li key={f.id}>
            <a href={incidentFileUrl(f.id)} data-testid={`incident-file-${f.id}`}>
              {f.fileName}
            </a>{' '}
            <span className="muted">
              {fmtSize(f.size)} · {fmtTime(f.createdAt)}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
