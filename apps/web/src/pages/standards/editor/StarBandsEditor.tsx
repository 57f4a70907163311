import { Button, Card, InputNumber, Space } from 'antd';
import type { StandardDoc } from '@pingan/core';
import { useT } from '../../../locales';
import { num, removeAt, replaceAt, shown } from './draft';
import { errorsAt, type FieldError } from './validation';
import Field from './Field';

type Band = StandardDoc['starRules']['bands'][number];

/** 星级分数段: for each star, the least percent of the maximum it needs. */
export default function StarBandsEditor({ bands, errors, onChange }: { bands: Band[]; errors: FieldError[]; onChange: (bands: Band[]) => void }) {
  const t = useT();
  const listErrors = errorsAt(errors, 'starRules.bands', false).concat(errorsAt(errors, 'starRules', false));
  const add = () => {
    const top = bands.reduce((m, b) => Math.max(m, Number.isNaN(b.stars) ? 0 : b.stars), 0);
    const last = bands.at(-1)?.minPercent;
    onChange([...bands, { stars: Math.min(top + 1, 5), minPercent: Math.min(100, (last === undefined || Number.isNaN(last) ? 55 : last) + 5) }]);
  };
  return (
    <Card title={t('editor.stars')} size="small" style={{ marginBottom: 16 }} data-testid="edit-bands">
      {listErrors.length > 0 && <div className="text-error" style={{ marginBottom: 8 }}>{listErrors.join('；')}</div>}
      {bands.map((b, i) => {
        const p = `starRules.bands[${i}]`;
        return (
          <Space key={i} align="start" wrap size={[12, 0]}>
            <Field label={t('editor.bandStars')} errors={errorsAt(errors, `${p}.stars`)}>
              <InputNumber min={1} max={5} value={shown(b.stars)} onChange={(v) => onChange(replaceAt(bands, i, { ...b, stars: num(v) }))} style={{ width: 90 }} />
            </Field>
            <span className="star-label" style={{ display: 'inline-block', marginTop: 34, minWidth: 80 }}>
              {'★'.repeat(Number.isInteger(b.stars) && b.stars > 0 && b.stars <= 5 ? b.stars : 0)}
            </span>
            <Field label={t('editor.bandMin')} errors={errorsAt(errors, `${p}.minPercent`)}>
              <InputNumber min={0} max={100} value={shown(b.minPercent)} onChange={(v) => onChange(replaceAt(bands, i, { ...b, minPercent: num(v) }))} style={{ width: 130 }} />
            </Field>
            <Button danger type="link" disabled={bands.length <= 1} onClick={() => onChange(removeAt(bands, i))} style={{ marginTop: 30 }}>
              {t('editor.remove')}
            </Button>
          </Space>
        );
      })}
      <div>
        <Button size="small" type="dashed" onClick={add} disabled={bands.length >= 5}>
          + {t('editor.addBand')}
        </Button>
      </div>
    </Card>
  );
}
