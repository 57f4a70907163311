import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Result,
  Space,
  Tooltip,
  Typography,
} from 'antd';
import { ApiError, errorMessage } from '../../../api/client';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { fmtSize, fmtTime } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import StatusTag from '../../../components/StatusTag';
import Stars from '../../../components/Stars';
import type { ApplicationStatus } from '@pingan/core';
import { ObjectionStatusTag } from '../list';
import {
  decideObjection,
  getObjection,
  objectionFileUrl,
  recordFindings,
  revealObjector,
  type DecisionInput,
  type ObjectionDetail,
} from '../api';

const pre = { whiteSpace: 'pre-wrap' as const, marginBottom: 0 };

/** 异议详情: the text, the files, the findings; the owning office decides with a written reply. */
export default function ObjectionDetailPage() {
  const { id } = useParams();
  const t = useT();
  const { data: o, error, loading, reload } = useAsync(() => getObjection(Number(id)), [id]);

  if (error instanceof ApiError && (error.status === 404 || error.status === 400))
    return (
      <PageContainer title={t('objections.detail.title')}>
        <Result status="404" title={error.message} extra={<Link to="/objections">{t('objections.detail.back')}</Link>} />
      </PageContainer>
    );

  return (
    <PageContainer
      title={o ? `${t('objections.detail.title')}：${o.subjectName}` : t('objections.detail.title')}
      tags={o && <ObjectionStatusTag status={o.status} outcome={o.outcome} />}
      extra={<Link to="/objections">{t('objections.detail.back')}</Link>}
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !o && <Card loading />}
      {o && (
        <>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
              <Descriptions.Item label={t('objections.detail.candidate')}>
                <Link to={`/applications/${o.applicationId}`}>{o.subjectName}</Link>
                <Typography.Text type="secondary">
                  {' '}
                  · {o.regionName} · {o.categoryName}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.notice')}>
                <Link to={`/notices/${o.noticeId}`}>{o.noticeTitle}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.period')}>
                {o.noticeStartsOn} ~ {o.noticeEndsOn}
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.appStatus')}>
                <StatusTag status={o.applicationStatus as ApplicationStatus} />
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.stars')}>
                {o.stars === null ? t('objections.detail.starsNone') : <Stars value={o.stars} size={12} />}
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.receipt')}>
                <Typography.Text code>{o.receipt}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.objector')}>
                <Objector o={o} />
              </Descriptions.Item>
              <Descriptions.Item label={t('objections.detail.createdAt')}>{fmtTime(o.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('objections.detail.text')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph style={pre} data-testid="objection-text">
              {o.text}
            </Typography.Paragraph>
          </Card>
          <Card title={t('objections.detail.files')} style={{ marginBottom: 16 }}>
            {o.files.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {o.files.map((f) => (
                  <li key={f.id}>
                    <a href={objectionFileUrl(f.id)} data-testid={`objection-file-${f.id}`}>
                      {f.fileName}
                    </a>{' '}
                    <Typography.Text type="secondary">
                      {fmtSize(f.size)} · {fmtTime(f.createdAt)}
                    </Typography.Text>
                  </li>
                ))}
              </ul>
            ) : (
              <Typography.Text type="secondary">{t('objections.detail.noFiles')}</Typography.Text>
            )}
          </Card>
          <Findings o={o} onSaved={reload} />
          <Decision o={o} onDecided={reload} />
        </>
      )}
    </PageContainer>
  );
}

/** The objector: masked, and in full only through the audited action. */
function Objector({ o }: { o: ObjectionDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const [full, setFull] = useState<{ name: string | null; phone: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  if (o.anonymous) return <>{t('objections.detail.anonymous')}</>;
  const shown = full ?? { name: o.objectorName, phone: o.objectorPhone };
  return (
    <Space wrap size={8}>
      <span data-testid="objector">
        {shown.name} {shown.phone}
      </span>
      {!full && o.canRevealContact && (
        <Tooltip title={t('objections.detail.revealHint')}>
          <Button
            size="small"
            loading={busy}
            data-testid="objector-reveal"
            onClick={async () => {
              setBusy(true);
              try {
                setFull(await revealObjector(o.id));
              } catch (e) {
                message.error(errorMessage(e));
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('objections.detail.reveal')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}

function Findings({ o, onSaved }: { o: ObjectionDetail; onSaved: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Card title={t('objections.detail.findings')} style={{ marginBottom: 16 }}>
      {o.findings ? (
        <Typography.Paragraph style={pre} data-testid="objection-findings">
          {o.findings}
        </Typography.Paragraph>
      ) : (
        <Typography.Text type="secondary">{t('objections.detail.noFindings')}</Typography.Text>
      )}
      {o.canInvestigate && (
        <Space.Compact direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Input.TextArea
            rows={3}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('objections.detail.findingsPlaceholder')}
            data-testid="findings-input"
          />
          <div style={{ marginTop: 8 }}>
            <Button
              loading={busy}
              disabled={!text.trim()}
              data-testid="findings-save"
              onClick={async () => {
                setBusy(true);
                try {
                  await recordFindings(o.id, text.trim(), o.revision);
                  message.success(t('objections.detail.findingsSaved'));
                  setText('');
                  onSaved();
                } catch (e) {
                  message.error(errorMessage(e));
                } finally {
                  setBusy(false);
                }
              }}
            >
              {t('objections.detail.addFindings')}
            </Button>
          </div>
        </Space.Compact>
      )}
    </Card>
  );
}

interface DecisionForm {
  decision: 'upheld' | 'dismissed';
  outcome?: 'withdrawn' | 'stars_lowered';
  lowerBy?: number;
  reply: string;
}

function Decision({ o, onDecided }: { o: ObjectionDetail; onDecided: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<DecisionForm>();
  const decision = Form.useWatch('decision', form);
  const outcome = Form.useWatch('outcome', form);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  if (o.status === 'upheld' || o.status === 'dismissed')
    return (
      <Card title={t('objections.detail.decision')} data-testid="objection-decision">
        <Space direction="vertical" style={{ width: '100%' }}>
          <ObjectionStatusTag status={o.status} outcome={o.outcome} />
          <Typography.Text type="secondary">
            {t('objections.detail.decidedBy', { name: o.decidedByName ?? '', time: fmtTime(o.decidedAt) })}
          </Typography.Text>
          <Typography.Text strong>{t('objections.detail.reply')}</Typography.Text>
          <Typography.Paragraph style={pre} data-testid="objection-reply">
            {o.reply}
          </Typography.Paragraph>
        </Space>
      </Card>
    );
  if (!o.canDecide)
    return <Alert type="info" showIcon title={t('objections.detail.leadOnly')} description={t('objections.detail.openNotice')} />;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setErr(null);
    try {
      const body: DecisionInput = {
        decision: v.decision,
        outcome: v.decision === 'upheld' ? v.outcome : null,
        lowerBy: v.decision === 'upheld' && v.outcome === 'stars_lowered' ? v.lowerBy : null,
        reply: v.reply.trim(),
        revision: o.revision,
      };
      await decideObjection(o.id, body);
      message.success(t('objections.detail.decided'));
      onDecided();
    } catch (e) {
      setErr(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('objections.detail.decide')}>
      <Alert type="warning" showIcon title={t('objections.detail.openNotice')} style={{ marginBottom: 16 }} />
      <Form<DecisionForm> form={form} layout="vertical" initialValues={{ decision: 'dismissed', lowerBy: 1 }} data-testid="decision-form">
        <Form.Item name="decision" label={t('objections.detail.decision')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'dismissed', label: <span data-testid="decision-dismissed">{t('objections.detail.dismissed')}</span> },
              { value: 'upheld', label: <span data-testid="decision-upheld">{t('objections.detail.upheld')}</span> },
            ]}
          />
        </Form.Item>
        {decision === 'upheld' && (
          <Form.Item
            name="outcome"
            label={t('objections.detail.outcome')}
            rules={[{ required: true, message: t('objections.detail.outcomeRequired') }]}
            extra={outcome === 'withdrawn' ? t('objections.detail.withdrawHint') : undefined}
          >
            <Radio.Group
              options={[
                { value: 'withdrawn', label: <span data-testid="outcome-withdrawn">{t('objections.outcome.withdrawn')}</span> },
                {
                  value: 'stars_lowered',
                  disabled: o.stars === null || o.stars <= 1,
                  label: <span data-testid="outcome-stars_lowered">{t('objections.outcome.stars_lowered')}</span>,
                },
              ]}
            />
          </Form.Item>
        )}
        {decision === 'upheld' && outcome === 'stars_lowered' && o.stars !== null && (
          <Form.Item name="lowerBy" label={t('objections.detail.lowerBy')} extra={t('objections.detail.lowerHint', { n: o.stars })}>
            <InputNumber min={1} max={Math.max(1, o.stars - 1)} precision={0} data-testid="lower-by" />
          </Form.Item>
        )}
        <Form.Item
          name="reply"
          label={t('objections.detail.reply')}
          extra={t('objections.detail.replyHint')}
          rules={[{ required: true, min: 5, whitespace: true, message: t('objections.detail.replyRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="decision-reply" />
        </Form.Item>
        {err && <Alert type="error" showIcon title={err} style={{ marginBottom: 12 }} data-testid="decision-error" />}
        <Popconfirm
          title={t('objections.detail.confirm')}
          onConfirm={submit}
          okButtonProps={{ 'data-testid': 'decision-confirm' } as never}
        >
          <Button type="primary" loading={busy} data-testid="decision-submit">
            {t('objections.detail.decide')}
          </Button>
        </Popconfirm>
      </Form>
    </Card>
  );
}
