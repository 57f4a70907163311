import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Result, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { campaignDateProblems, type Chain } from '@pingan/core';
import { createCampaign, listCampaigns, listChainPresets, updateCampaign, type CampaignBody } from '../../../api/campaigns';
import { listStandards } from '../../../api/standards';
import { errorMessage } from '../../../api/client';
import type { PhaseKey } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useI18n, type MessageKey } from '../../../locales';
import zhCN from '../../../locales/zh-CN';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import ChainEditor from '../ChainEditor';

/** The four phases; their names are stored in Chinese, as the documents write them. */
const PHASES: { key: PhaseKey; zh: string }[] = (['mobilise', 'apply', 'guide', 'accept'] as const).map((key) => ({
  key,
  zh: zhCN[`phase.${key}`],
}));

type Range = [Dayjs, Dayjs];
interface FormValues {
  name: string;
  year: number;
  applyDeadline: Dayjs;
  reviewDeadline: Dayjs;
  phases: Record<PhaseKey, Range | null>;
  categories: { standardVersionId?: number; quota?: number | null }[];
  minNoticeDays: number;
}

const D = (d: Dayjs) => d.format('YYYY-MM-DD');

/** 新建 / 编辑创建活动: basic data, phases, the review chain with step deadlines, categories. */
export default function CampaignFormPage() {
  const { t, lang } = useI18n();
  const params = useParams();
  const editId = params.id ? Number(params.id) : null;
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const standards = useAsync(listStandards, []);
  const presets = useAsync(listChainPresets, []);
  const existing = useAsync(
    () => (editId ? listCampaigns().then((l) => l.find((c) => c.id === editId) ?? null) : Promise.resolve(null)),
    [editId],
  );
  const editing = existing.data ?? null;
  const locked = editing?.structureLocked ?? false;
  const [chain, setChain] = useState<Chain | null>(null);
  const [problems, setProblems] = useState<string[]>([]);

  // a new campaign starts from the default chain; an edited one from its own
  useEffect(() => {
    if (editing) setChain(editing.chain);
    else if (!editId && presets.data && !chain) {
      const d = presets.data.find((p) => p.isDefault) ?? presets.data[0];
      if (d) {
        const { isDefault: _d, ...c } = d;
        setChain(structuredClone(c));
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing, presets.data, editId]);

  useEffect(() => {
    if (!editing) return;
    const phases = { mobilise: null, apply: null, guide: null, accept: null } as FormValues['phases'];
    for (const p of editing.phases) phases[p.key] = [dayjs(p.start), dayjs(p.end)];
    form.setFieldsValue({
      name: editing.name,
      year: editing.year,
      applyDeadline: dayjs(editing.applyDeadline),
      reviewDeadline: dayjs(editing.reviewDeadline),
      phases,
      categories: editing.categories.map((c) => ({ standardVersionId: c.standardVersionId, quota: c.quota })),
      minNoticeDays: editing.minNoticeDays,
    });
  }, [editing, form]);

  const versions = useMemo(
    () =>
      (standards.data ?? []).flatMap((s) =>
        s.versions.map((v) => ({
          value: v.id,
          categoryCode: s.categoryCode,
          label: `${s.categoryName} · ${s.title} · ${t('standards.versionLabel', { n: v.version, criteria: v.criteria, max: v.maxPoints })}`,
        })),
      ),
    [standards.data, t],
  );

  const toBody = (v: FormValues): CampaignBody => ({
    name: v.name.trim(),
    year: v.year,
    applyDeadline: D(v.applyDeadline),
    reviewDeadline: D(v.reviewDeadline),
    phases: PHASES.flatMap((p) => {
      const r = v.phases[p.key];
      return r ? [{ key: p.key, name: p.zh, start: D(r[0]), end: D(r[1]) }] : [];
    }),
    categories: v.categories
      .filter((c) => c.standardVersionId != null)
      .map((c) => ({ standardVersionId: c.standardVersionId!, quota: c.quota ?? null })),
    chainPreset: chain?.preset ?? null,
    chain,
    minNoticeDays: v.minNoticeDays,
  });

  /** The same date rules as the server (core campaignDateProblems), shown while typing. */
  const check = (v: Partial<FormValues>) => {
    if (!v.year || !v.applyDeadline || !v.reviewDeadline) return setProblems([]);
    const phases = PHASES.flatMap((p) => {
      const r = v.phases?.[p.key];
      return r ? [{ key: p.key, name: p.zh, start: D(r[0]), end: D(r[1]) }] : [];
    });
    setProblems(
      campaignDateProblems({
        year: v.year,
        applyDeadline: D(v.applyDeadline),
        reviewDeadline: D(v.reviewDeadline),
        phases,
        steps: chain?.steps ?? [],
      }),
    );
  };
  useEffect(() => check(form.getFieldsValue(true) as Partial<FormValues>), [chain]); // eslint-disable-line react-hooks/exhaustive-deps

  const onFinish = async (v: FormValues) => {
    const body = toBody(v);
    setBusy(true);
    setServerError(null);
    try {
      if (editing) {
        const { categories, chain: ch, chainPreset, ...rest } = body;
        await updateCampaign(editing.id, {
          ...rest,
          chain: ch,
          chainPreset,
          ...(locked ? {} : { categories }),
          revision: editing.revision,
        });
        message.success(t('campaignEdit.saved'));
      } else {
        await createCampaign(body);
        message.success(t('campaignForm.created'));
      }
      navigate('/campaigns');
    } catch (e) {
      const msg = errorMessage(e);
      setServerError(msg);
      message.error(msg);
    } finally {
      setBusy(false);
    }
  };

  const year = dayjs().year();
  if (editId && !existing.loading && !existing.error && (!editing || !editing.canEdit))
    return (
      <PageContainer title={t('campaignEdit.title')}>
        <Result status="404" title={t('campaignEdit.notFound')} />
      </PageContainer>
    );
  return (
    <PageContainer title={editId ? t('campaignEdit.title') : t('campaignForm.title')}>
      {standards.error && <ErrorBox error={standards.error} onRetry={standards.reload} />}
      {serverError && (
        <Alert
          type="error"
          showIcon
          title={serverError}
          style={{ marginBottom: 16 }}
          data-testid="form-error"
          closable={{ onClose: () => setServerError(null) }}
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ year, categories: [{}], phases: { mobilise: null, apply: null, guide: null, accept: null }, minNoticeDays: 5 }}
        onValuesChange={(_, all) => check(all)}
        scrollToFirstError
      >
        <Card title={t('campaignForm.basic')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={t('campaignForm.name')}
                rules={[
                  { required: true, whitespace: true, message: t('campaignForm.nameRequired') },
                  { min: 2, message: t('campaignForm.nameMin') },
                  { max: 100 },
                ]}
              >
                <Input placeholder={t('campaignForm.namePlaceholder')} data-testid="campaign-name" maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item name="year" label={t('campaignForm.year')} rules={[{ required: true, message: t('campaignForm.yearRequired') }]}>
                <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} data-testid="campaign-year" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item
                name="applyDeadline"
                label={t('campaignForm.applyDeadline')}
                rules={[{ required: true, message: t('campaignForm.applyDeadlineRequired') }]}
              >
                <DatePicker style={{ width: '100%' }} data-testid="campaign-apply-deadline" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item
                name="reviewDeadline"
                label={t('campaignForm.reviewDeadline')}
                dependencies={['applyDeadline']}
                rules={[
                  { required: true, message: t('campaignForm.reviewDeadlineRequired') },
                  ({ getFieldValue }) => ({
                    validator(_, value: Dayjs | undefined) {
                      const a = getFieldValue('applyDeadline') as Dayjs | undefined;
                      if (!value || !a || !value.isBefore(a, 'day')) return Promise.resolve();
                      return Promise.reject(new Error(t('campaignForm.reviewBeforeApply')));
                    },
                  }),
                ]}
              >
                <DatePicker style={{ width: '100%' }} data-testid="campaign-review-deadline" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('campaignForm.phases')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {PHASES.map((p, i) => {
              const name = lang === 'zh-CN' ? p.zh : t(`phase.${p.key}` as MessageKey);
              return (
                <Col xs={24} md={12} key={p.key}>
                  <Form.Item
                    name={['phases', p.key]}
                    label={`${i + 1}. ${name}`}
                    rules={[{ required: true, message: t('campaignForm.phaseRequired', { name }) }]}
                  >
                    <DatePicker.RangePicker style={{ width: '100%' }} data-testid={`campaign-phase-${p.key}`} />
                  </Form.Item>
                </Col>
              );
            })}
          </Row>
        </Card>

        {problems.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="campaign-date-problems"
            title={problems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          />
        )}

        <Card title={t('campaignChain.card')} style={{ marginBottom: 16 }}>
          {locked && <Alert type="info" showIcon title={t('campaignChain.locked')} style={{ marginBottom: 12 }} />}
          <ChainEditor value={chain} presets={presets.data ?? []} locked={locked} onChange={setChain} />
          <Form.Item
            name="minNoticeDays"
            label={t('campaignChain.minNoticeDays')}
            extra={t('campaignChain.minNoticeDaysHelp')}
            rules={[{ required: true, type: 'integer', min: 1, max: 30, message: t('campaignChain.minNoticeDaysHelp') }]}
            style={{ marginTop: 16, maxWidth: 320 }}
          >
            <InputNumber min={1} max={30} precision={0} style={{ width: '100%' }} data-testid="campaign-min-notice" />
          </Form.Item>
        </Card>

        <Card title={t('campaignForm.categories')} style={{ marginBottom: 16 }}>
          <Form.List
            name="categories"
            rules={[
              {
                validator: async (_, value: FormValues['categories'] | undefined) => {
                  if (!value?.length) throw new Error(t('campaignForm.atLeastOne'));
                  const chosen = value.filter((c) => c?.standardVersionId != null);
                  const codes = chosen.map((c) => versions.find((v) => v.value === c.standardVersionId)?.categoryCode);
                  if (new Set(codes).size !== codes.length) throw new Error(t('campaignForm.duplicateCategory'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f, i) => (
                  <Row gutter={16} key={f.key} align="top">
                    <Col xs={24} md={16}>
                      <Form.Item
                        name={[f.name, 'standardVersionId']}
                        label={i === 0 ? t('campaignForm.standardVersion') : undefined}
                        rules={[{ required: true, message: t('campaignForm.standardRequired') }]}
                      >
                        <Select
                          options={versions}
                          placeholder={t('campaignForm.standardPlaceholder')}
                          loading={standards.loading}
                          showSearch={{ optionFilterProp: 'label' }}
                          disabled={locked}
                          data-testid={`campaign-standard-${i}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={16} md={5}>
                      <Form.Item name={[f.name, 'quota']} label={i === 0 ? t('campaignForm.quota') : undefined}>
                        <InputNumber
                          min={1}
                          precision={0}
                          placeholder={t('campaignForm.quotaPlaceholder')}
                          style={{ width: '100%' }}
                          data-testid={`campaign-quota-${i}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={3}>
                      <Form.Item label={i === 0 ? ' ' : undefined}>
                        <Button onClick={() => remove(f.name)} disabled={fields.length === 1 || locked}>
                          {t('campaignForm.remove')}
                        </Button>
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" onClick={() => add({})} block disabled={locked} data-testid="campaign-add-category">
                  + {t('campaignForm.addCategory')}
                </Button>
                <div className="text-error">
                  <Form.ErrorList errors={errors} />
                </div>
              </>
            )}
          </Form.List>
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="campaign-form-submit">
            {editId ? t('campaignEdit.submit') : t('campaignForm.submit')}
          </Button>
          <Button onClick={() => navigate('/campaigns')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </PageContainer>
  );
}
