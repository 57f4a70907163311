import { useState } from 'react';
import { App, Form, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { createSurvey, listSurveyTemplates, listUnitOptions, type SurveyUnitOptionT } from '../../api/surveys';
import { errorMessage } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../locales';
import { withMoreMatches } from '../../components/MoreMatches';

type Start = 'two_rates_one_degree' | 'safety_feeling' | 'awareness' | 'blank' | 'unit';

/** 新建问卷: from a template (两率一度, 公众安全感, 知晓率), blank, or a unit's own 民调 filling one of its measures. */
export default function CreateSurveyModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: number) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [start, setStart] = useState<Start>('two_rates_one_degree');
  const [year, setYear] = useState(new Date().getFullYear());
  const [identity, setIdentity] = useState<'phone' | 'invitation'>('phone');
  const [q, setQ] = useState('');
  const [unit, setUnit] = useState<SurveyUnitOptionT | null>(null);
  const [measure, setMeasure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const templates = useAsync(() => (open ? listSurveyTemplates() : Promise.resolve({ items: [] })), [open]);
  const units = useAsync(
    () => (open && start === 'unit' ? listUnitOptions(q) : Promise.resolve({ items: [], more: false })),
    [open, start, q],
  );

  const submit = async () => {
    if (start === 'unit' && (!unit || !measure)) return void message.warning(t('surveys.create.pickUnit'));
    setBusy(true);
    try {
      const m = unit?.measures.find((x) => `${x.criterionId}/${x.measureId}` === measure);
      const s = await createSurvey({
        year,
        identity,
        template: start === 'blank' || start === 'unit' ? null : start,
        ...(start === 'unit' && unit && m
          ? { subjectId: unit.subjectId, measure: { categoryCode: unit.categoryCode, criterionId: m.criterionId, measureId: m.measureId } }
          : {}),
      });
      onCreated(s.id);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      title={t('surveys.create')}
      okText={t('surveys.create.ok')}
      width={620}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('surveys.create.start')}>
          <Radio.Group value={start} onChange={(e) => setStart(e.target.value)} data-testid="survey-create-start">
            <Space direction="vertical">
              {(templates.data?.items ?? []).map((tp) => (
                <Radio key={tp.kind} value={tp.kind}>
                  {lang === 'en-US' ? tp.titleEn : tp.title}
                  <Typography.Text type="secondary"> · {t('surveys.create.questions', { n: tp.questions.length })}</Typography.Text>
                </Radio>
              ))}
              <Radio value="blank">{t('surveys.create.blank')}</Radio>
              <Radio value="unit">{t('surveys.create.unit')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {start === 'unit' && (
          <>
            <Form.Item label={t('surveys.create.unitPick')} extra={t('surveys.create.unitHint')}>
              <Select
                showSearch
                filterOption={false}
                onSearch={setQ}
                loading={units.loading}
                value={unit ? unit.applicationId : undefined}
                onChange={(v) => {
                  setUnit(units.data?.items.find((u) => u.applicationId === v) ?? null);
                  setMeasure(null);
                }}
                options={(units.data?.items ?? []).map((u) => ({
                  value: u.applicationId,
                  label: `${u.subjectName}（${u.regionName}，${u.campaignName}）`,
                }))}
                popupRender={withMoreMatches(units.data?.more, units.data?.items.length ?? 0)}
              />
            </Form.Item>
            {unit && (
              <Form.Item label={t('surveys.create.measure')}>
                <Select
                  value={measure ?? undefined}
                  onChange={setMeasure}
                  options={unit.measures.map((m) => ({
                    value: `${m.criterionId}/${m.measureId}`,
                    label: `第${m.criterionId}项 ${m.label}（${m.threshold}）`,
                  }))}
                />
              </Form.Item>
            )}
          </>
        )}
        <Space size="large" wrap>
          <Form.Item label={t('surveys.col.year')}>
            <InputNumber min={2000} max={2100} value={year} onChange={(v) => setYear(v ?? year)} />
          </Form.Item>
          <Form.Item label={t('surveys.col.identity')}>
            <Radio.Group value={identity} onChange={(e) => setIdentity(e.target.value)}>
              <Radio value="phone">{t('surveys.identity.phone')}</Radio>
              <Radio value="invitation">{t('surveys.identity.invitation')}</Radio>
            </Radio.Group>
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
