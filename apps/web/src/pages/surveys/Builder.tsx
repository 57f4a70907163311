import { useEffect, useState } from 'react';
import { App, Button, Card, Empty, Input, InputNumber, Radio, Select, Space, Switch, Tag, Typography } from 'antd';
import { SATISFACTION_OPTIONS, questionProblems, type SurveyQuestionDef } from '@pingan/core';
import { updateSurvey, type SurveyQuestionT, type SurveyT } from '../../api/surveys';
import { errorMessage } from '../../api/client';
import { useI18n, type MessageKey } from '../../locales';
import { INDICATOR_IDS, indicatorName } from './shared';

const KINDS = ['satisfaction', 'scale', 'yes_no', 'single', 'open'] as const;
const MEASURABLE = new Set(['satisfaction', 'scale', 'yes_no']);

/** 问卷设计: the questions; while draft the owning office edits them (kinds, options, scale, the indicator measured). */
export default function Builder({ survey, onSaved }: { survey: SurveyT; onSaved: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [title, setTitle] = useState(survey.title);
  const [intro, setIntro] = useState(survey.intro ?? '');
  const [identity, setIdentity] = useState(survey.identity);
  const [qs, setQs] = useState<SurveyQuestionT[]>(survey.questions);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setQs(survey.questions);
    setTitle(survey.title);
    setIntro(survey.intro ?? '');
    setIdentity(survey.identity);
  }, [survey]);

  if (!survey.canEdit) return <ReadOnly survey={survey} />;
  const problems = questionProblems(qs as SurveyQuestionDef[]);
  const nextId = () => `q${Math.max(0, ...qs.map((q) => Number(q.id.slice(1)) || 0)) + 1}`;
  const put = (i: number, patch: Partial<SurveyQuestionT>) => setQs(qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const move = (i: number, d: -1 | 1) => {
    const next = [...qs];
    const [q] = next.splice(i, 1);
    next.splice(i + d, 0, q!);
    setQs(next);
  };
  const add = (kind: SurveyQuestionT['kind']) =>
    setQs([
      ...qs,
      {
        id: nextId(),
        kind,
        text: '',
        required: kind !== 'open',
        indicator: null,
        ...(kind === 'single' ? { options: ['', ''] } : {}),
        ...(kind === 'scale' ? { max: 5 } : {}),
        ...(kind === 'satisfaction' ? { options: [...SATISFACTION_OPTIONS] } : {}),
      },
    ]);
  const save = async () => {
    setBusy(true);
    try {
      await updateSurvey(survey.id, {
        revision: survey.revision,
        title,
        intro: intro || null,
        identity,
        opensOn: survey.opensOn,
        closesOn: survey.closesOn,
        questions: qs,
      });
      message.success(t('surveys.builder.saved'));
      onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input addonBefore={t('surveys.col.title')} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          <Input.TextArea
            rows={2}
            placeholder={t('surveys.builder.intro')}
            value={intro}
            maxLength={2000}
            onChange={(e) => setIntro(e.target.value)}
          />
          <Radio.Group value={identity} onChange={(e) => setIdentity(e.target.value)}>
            <Radio value="phone">{t('surveys.identity.phone')}</Radio>
            <Radio value="invitation">{t('surveys.identity.invitation')}</Radio>
          </Radio.Group>
        </Space>
      </Card>
      {qs.map((q, i) => (
        <Card
          key={q.id}
          size="small"
          data-testid={`builder-q-${q.id}`}
          title={
            <Space>
              <Tag>{q.id}</Tag>
              <Select
                size="small"
                value={q.kind}
                style={{ width: 120 }}
                onChange={(kind) =>
                  put(i, {
                    kind,
                    indicator: MEASURABLE.has(kind) ? q.indicator : null,
                    options:
                      kind === 'satisfaction'
                        ? [...SATISFACTION_OPTIONS]
                        : kind === 'single'
                          ? q.options?.length
                            ? q.options
                            : ['', '']
                          : undefined,
                    max: kind === 'scale' ? (q.max ?? 5) : undefined,
                  })
                }
                options={KINDS.map((k) => ({ value: k, label: t(`surveys.kind.${k}` as MessageKey) }))}
              />
            </Space>
          }
          extra={
            <Space>
              <Button size="small" disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </Button>
              <Button size="small" disabled={i === qs.length - 1} onClick={() => move(i, 1)}>
                ↓
              </Button>
              <Button size="small" danger onClick={() => setQs(qs.filter((_, j) => j !== i))}>
                {t('surveys.builder.remove')}
              </Button>
            </Space>
          }
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea
              rows={2}
              maxLength={500}
              placeholder={t('surveys.builder.text')}
              value={q.text}
              onChange={(e) => put(i, { text: e.target.value })}
            />
            {q.kind === 'satisfaction' && <Typography.Text type="secondary">{SATISFACTION_OPTIONS.join(' / ')}</Typography.Text>}
            {q.kind === 'single' && (
              <Select
                mode="tags"
                style={{ width: '100%' }}
                placeholder={t('surveys.builder.options')}
                value={(q.options ?? []).filter(Boolean)}
                onChange={(options) => put(i, { options })}
                open={false}
                tokenSeparators={['\n', '；', ';']}
              />
            )}
            {q.kind === 'scale' && (
              <InputNumber
                addonBefore={t('surveys.builder.max')}
                min={2}
                max={10}
                value={q.max}
                onChange={(v) => put(i, { max: v ?? 5 })}
              />
            )}
            <Space wrap>
              <span>
                {t('surveys.builder.required')} <Switch size="small" checked={q.required} onChange={(required) => put(i, { required })} />
              </span>
              {MEASURABLE.has(q.kind) && (
                <Select
                  allowClear
                  style={{ width: 220 }}
                  placeholder={t('surveys.builder.indicator')}
                  value={q.indicator ?? undefined}
                  onChange={(v) => put(i, { indicator: v ?? null })}
                  options={INDICATOR_IDS.map((id) => ({ value: id, label: indicatorName(id, pick) }))}
                />
              )}
            </Space>
          </Space>
        </Card>
      ))}
      {!qs.length && <Empty description={t('surveys.builder.empty')} />}
      <Space wrap>
        {KINDS.map((k) => (
          <Button key={k} onClick={() => add(k)} data-testid={`builder-add-${k}`}>
            + {t(`surveys.kind.${k}` as MessageKey)}
          </Button>
        ))}
      </Space>
      {problems.length > 0 && <Typography.Text type="danger">{problems.join('；')}</Typography.Text>}
      <Button type="primary" onClick={save} loading={busy} disabled={problems.length > 0} data-testid="builder-save">
        {t('surveys.builder.save')}
      </Button>
    </Space>
  );
}

function ReadOnly({ survey }: { survey: SurveyT }) {
  const { t, pick } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {survey.intro && <Typography.Paragraph>{survey.intro}</Typography.Paragraph>}
      {survey.questions.map((q, i) => (
        <Card key={q.id} size="small">
          <Typography.Text strong>
            {i + 1}. {q.text}
          </Typography.Text>
          {q.required && <Typography.Text type="danger"> *</Typography.Text>}
          <div className="muted">
            {t(`surveys.kind.${q.kind}` as MessageKey)}
            {q.kind === 'scale' && ` 1–${q.max}`}
            {q.options && q.kind === 'single' && ` · ${q.options.join(' / ')}`}
            {q.indicator && ` · ${t('surveys.builder.indicator')}: ${indicatorName(q.indicator, pick)}`}
          </div>
        </Card>
      ))}
      {!survey.questions.length && <Empty description={t('surveys.builder.empty')} />}
    </Space>
  );
}
