import { Button, Card, Col, Input, InputNumber, Popconfirm, Radio, Row, Select, Switch, Tag } from 'antd';
import { DEPARTMENT_CODES, DEPARTMENTS, type Criterion, type DepartmentCode } from '@pingan/core';
import { useI18n } from '../../../locales';
import { num, shown } from './draft';
import { errorsAt, type FieldError } from './validation';
import Field from './Field';
import MeasureEditor from './MeasureEditor';

/** One criterion: number, title, text, points, judge, veto, departments, evidence and measures. */
export default function CriterionEditor({
  c,
  path,
  errors,
  canRemove,
  onChange,
  onRemove,
}: {
  c: Criterion;
  /** groups[i].criteria[j] */
  path: string;
  errors: FieldError[];
  canRemove: boolean;
  onChange: (patch: Partial<Criterion>) => void;
  onRemove: () => void;
}) {
  const { t, lang } = useI18n();
  const e = (f: string) => errorsAt(errors, `${path}.${f}`);
  const deptOptions = DEPARTMENT_CODES.map((d: DepartmentCode) => ({ value: d, label: lang === 'zh-CN' ? DEPARTMENTS[d].zh : DEPARTMENTS[d].en }));
  const tid = (f: string) => `edit-${f}-${c.id}`;
  const bad = errorsAt(errors, path).length;

  return (
    <Card
      size="small"
      style={{ marginBottom: 12, borderColor: bad ? '#ffa39e' : undefined }}
      data-testid={`edit-criterion-${c.id}`}
      title={
        <span>
          {t('diff.loc.criterion', { id: c.id || '?' })}
          {c.veto && <Tag color="red" style={{ marginInlineStart: 8 }}>{t('criterion.veto')}</Tag>}
        </span>
      }
      extra={
        canRemove && (
          <Popconfirm title={t('editor.removeCriterion')} onConfirm={onRemove} okText={t('common.ok')} cancelText={t('common.cancel')}>
            <Button danger type="link" size="small" data-testid={tid('remove')}>
              {t('editor.removeCriterion')}
            </Button>
          </Popconfirm>
        )
      }
    >
      <Row gutter={12}>
        <Col xs={12} md={4}>
          <Field label={t('editor.criterionId')} errors={e('id')} required>
            <Input value={c.id} onChange={(ev) => onChange({ id: ev.target.value })} data-testid={tid('id')} />
          </Field>
        </Col>
        <Col xs={24} md={8}>
          <Field label={t('editor.criterionTitle')} errors={e('title')}>
            <Input value={c.title ?? ''} onChange={(ev) => onChange({ title: ev.target.value || undefined })} data-testid={tid('title')} />
          </Field>
        </Col>
        <Col xs={12} md={4}>
          <Field label={t('editor.points')} errors={e('points')} required>
            <InputNumber value={shown(c.points)} onChange={(v) => onChange({ points: num(v) })} style={{ width: '100%' }} data-testid={tid('points')} />
          </Field>
        </Col>
        <Col xs={12} md={5}>
          <Field label={t('editor.judge')} errors={e('judge')}>
            <Radio.Group
              optionType="button"
              value={c.judge}
              onChange={(ev) => onChange({ judge: ev.target.value === 'yesno' ? 'yesno' : 'score' })}
              options={[
                { value: 'score', label: t('editor.judgeScore') },
                { value: 'yesno', label: t('editor.judgeYesno') },
              ]}
            />
          </Field>
        </Col>
        <Col xs={12} md={3}>
          <Field label={t('editor.veto')} errors={e('veto')}>
            <Switch checked={c.veto} onChange={(veto) => onChange({ veto })} data-testid={tid('veto')} />
          </Field>
        </Col>
      </Row>
      <Field label={t('editor.text')} errors={e('text')} required>
        <Input.TextArea value={c.text} onChange={(ev) => onChange({ text: ev.target.value })} autoSize={{ minRows: 2, maxRows: 6 }} data-testid={tid('text')} />
      </Field>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Field label={t('editor.lead')} errors={e('lead')}>
            <Select mode="multiple" allowClear value={c.lead} options={deptOptions} optionFilterProp="label" placeholder={t('editor.deptPlaceholder')} onChange={(lead) => onChange({ lead })} />
          </Field>
        </Col>
        <Col xs={24} md={12}>
          <Field label={t('editor.cooperate')} errors={e('cooperate')}>
            <Select mode="multiple" allowClear value={c.cooperate} options={deptOptions} optionFilterProp="label" placeholder={t('editor.deptPlaceholder')} onChange={(cooperate) => onChange({ cooperate })} />
          </Field>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={19}>
          <Field label={t('editor.evidence')} errors={e('evidence')}>
            <Select mode="tags" value={c.evidence} open={false} suffixIcon={null} placeholder={t('editor.evidencePlaceholder')} onChange={(evidence) => onChange({ evidence })} tokenSeparators={['\n']} />
          </Field>
        </Col>
        <Col xs={24} md={5}>
          <Field label={t('editor.evidenceRequired')} errors={e('evidenceRequired')}>
            <Switch checked={c.evidenceRequired} onChange={(evidenceRequired) => onChange({ evidenceRequired })} />
          </Field>
        </Col>
      </Row>
      <MeasureEditor measures={c.measures} path={path} errors={errors} testPrefix={`edit-measure-${c.id}`} onChange={(measures) => onChange({ measures })} />
    </Card>
  );
}
