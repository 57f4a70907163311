import { Button, Input, InputNumber, Select, Space } from 'antd';
import type { Measure } from '@pingan/core';
import { useT } from '../../../locales';
import { COMPARATORS, MEASURE_KINDS, PERIODS, measureOfKind, newMeasure, num, removeAt, replaceAt, shown } from './draft';
import { errorsAt, type FieldError } from './validation';
import Field from './Field';

const OP_LABEL: Record<(typeof COMPARATORS)[number], string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=' };
const opOptions = COMPARATORS.map((c) => ({ value: c, label: OP_LABEL[c] }));

/** 量化指标 of one criterion: id, label, kind and the kind's own fields. */
export default function MeasureEditor({
  measures,
  path,
  errors,
  testPrefix,
  onChange,
}: {
  measures: Measure[];
  /** groups[i].criteria[j] */
  path: string;
  errors: FieldError[];
  testPrefix: string;
  onChange: (measures: Measure[]) => void;
}) {
  const t = useT();
  const listErrors = errorsAt(errors, `${path}.measures`, false);
  const set = (i: number, m: Measure) => onChange(replaceAt(measures, i, m));

  const kindFields = (m: Measure, i: number, p: string) => {
    const e = (f: string) => errorsAt(errors, `${p}.${f}`);
    const numberInput = (label: string, f: string, value: number, apply: (v: number) => Measure, width = 110) => (
      <Field label={label} errors={e(f)}>
        <InputNumber value={shown(value)} onChange={(v) => set(i, apply(num(v)))} style={{ width }} data-testid={`${testPrefix}-${i}-${f}`} />
      </Field>
    );
    const op = (value: { comparator: (typeof COMPARATORS)[number] }, apply: (c: (typeof COMPARATORS)[number]) => Measure) => (
      <Field label={t('editor.comparator')} errors={e('comparator')}>
        <Select value={value.comparator} options={opOptions} onChange={apply} style={{ width: 70 }} />
      </Field>
    );
    switch (m.kind) {
      case 'threshold':
        return (
          <>
            {op(m, (comparator) => ({ ...m, comparator }))}
            {numberInput(t('editor.value'), 'value', m.value, (value) => ({ ...m, value }))}
            <Field label={t('editor.unit')} errors={e('unit')}>
              <Input value={m.unit} onChange={(ev) => set(i, { ...m, unit: ev.target.value })} style={{ width: 70 }} />
            </Field>
            <Field label={t('editor.of')} errors={e('of')}>
              <Input value={m.of ?? ''} onChange={(ev) => set(i, { ...m, of: ev.target.value || undefined })} style={{ width: 110 }} />
            </Field>
          </>
        );
      case 'change':
        return (
          <>
            {op(m, (comparator) => ({ ...m, comparator }))}
            {numberInput(t('editor.changePercent'), 'value', m.value, (value) => ({ ...m, value }))}
          </>
        );
      case 'range':
        return (
          <>
            {numberInput(t('editor.min'), 'min', m.min, (min) => ({ ...m, min }))}
            {numberInput(t('editor.max'), 'max', m.max, (max) => ({ ...m, max }))}
            <Field label={t('editor.unit')} errors={e('unit')}>
              <Input value={m.unit} onChange={(ev) => set(i, { ...m, unit: ev.target.value })} style={{ width: 70 }} />
            </Field>
          </>
        );
      case 'frequency':
        return (
          <>
            {numberInput(t('editor.timesMin'), 'min', m.min, (min) => ({ ...m, min }))}
            <Field label={t('editor.per')} errors={e('per')}>
              <Select
                value={m.per}
                options={PERIODS.map((p) => ({ value: p, label: t(`editor.period.${p}`) }))}
                onChange={(per) => set(i, { ...m, per })}
                style={{ width: 100 }}
              />
            </Field>
          </>
        );
      case 'distance':
        return (
          <>
            {op(m, (comparator) => ({ ...m, comparator }))}
            {numberInput(t('editor.value'), 'value', m.value, (value) => ({ ...m, value }))}
            <Field label={t('editor.unit')} errors={e('unit')}>
              <Select value={m.unit} options={[{ value: 'm', label: t('unit.m') }, { value: 'km', label: t('unit.km') }]} onChange={(unit) => set(i, { ...m, unit })} style={{ width: 80 }} />
            </Field>
          </>
        );
    }
  };

  return (
    <div>
      <div className="meta-label" style={{ marginBottom: 6 }}>
        {t('editor.measures')}
      </div>
      {listErrors.length > 0 && <div className="text-error" style={{ marginBottom: 6 }}>{listErrors.join('；')}</div>}
      {measures.map((m, i) => {
        const p = `${path}.measures[${i}]`;
        return (
          <div key={i} style={{ border: '1px dashed #e8e2d6', borderRadius: 6, padding: '8px 10px 0', marginBottom: 8 }}>
            <Space wrap align="start" size={[10, 0]}>
              <Field label={t('editor.measureId')} errors={errorsAt(errors, `${p}.id`)}>
                <Input value={m.id} onChange={(ev) => set(i, { ...m, id: ev.target.value })} style={{ width: 150 }} />
              </Field>
              <Field label={t('editor.measureLabel')} errors={errorsAt(errors, `${p}.label`)}>
                <Input value={m.label} onChange={(ev) => set(i, { ...m, label: ev.target.value })} style={{ width: 200 }} />
              </Field>
              <Field label={t('editor.measureKind')} errors={errorsAt(errors, `${p}.kind`)}>
                <Select
                  value={m.kind}
                  options={MEASURE_KINDS.map((k) => ({ value: k, label: t(`editor.kind.${k}`) }))}
                  onChange={(k) => set(i, measureOfKind(m, k))}
                  style={{ width: 120 }}
                />
              </Field>
              {kindFields(m, i, p)}
              <Button danger type="link" onClick={() => onChange(removeAt(measures, i))} style={{ marginTop: 30 }}>
                {t('editor.removeMeasure')}
              </Button>
            </Space>
          </div>
        );
      })}
      <Button size="small" type="dashed" onClick={() => onChange([...measures, newMeasure(measures, t('editor.newMeasureLabel'))])}>
        + {t('editor.addMeasure')}
      </Button>
    </div>
  );
}
