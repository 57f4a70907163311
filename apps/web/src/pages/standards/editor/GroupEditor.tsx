import { Button, Card, Col, Input, Popconfirm, Row } from 'antd';
import type { Criterion, CriterionGroup } from '@pingan/core';
import { useT } from '../../../locales';
import { errorsAt, type FieldError } from './validation';
import Field from './Field';
import CriterionEditor from './CriterionEditor';

/** A group of criteria: its number and name, its criteria, and adding or removing them. */
export default function GroupEditor({
  g,
  gi,
  errors,
  canRemove,
  onGroup,
  onCriterion,
  onAddCriterion,
  onRemoveCriterion,
  onRemove,
}: {
  g: CriterionGroup;
  gi: number;
  errors: FieldError[];
  canRemove: boolean;
  onGroup: (patch: Partial<CriterionGroup>) => void;
  onCriterion: (ci: number, patch: Partial<Criterion>) => void;
  onAddCriterion: () => void;
  onRemoveCriterion: (ci: number) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const path = `groups[${gi}]`;
  const listErrors = errorsAt(errors, `${path}.criteria`, false);
  return (
    <Card
      className="group-card"
      data-testid={`edit-group-${gi}`}
      title={t('diff.loc.group', { id: g.id || '?' }) + (g.name ? `「${g.name}」` : '')}
      extra={
        canRemove && (
          <Popconfirm title={t('editor.removeGroup')} onConfirm={onRemove} okText={t('common.ok')} cancelText={t('common.cancel')}>
            <Button danger type="link" size="small">
              {t('editor.removeGroup')}
            </Button>
          </Popconfirm>
        )
      }
      style={{ marginBottom: 16 }}
    >
      <Row gutter={12}>
        <Col xs={8} md={4}>
          <Field label={t('editor.groupId')} errors={errorsAt(errors, `${path}.id`)} required>
            <Input value={g.id} onChange={(e) => onGroup({ id: e.target.value })} />
          </Field>
        </Col>
        <Col xs={16} md={10}>
          <Field label={t('editor.groupName')} errors={errorsAt(errors, `${path}.name`)} required>
            <Input value={g.name} onChange={(e) => onGroup({ name: e.target.value })} />
          </Field>
        </Col>
      </Row>
      {listErrors.length > 0 && <div className="text-error" style={{ marginBottom: 8 }}>{listErrors.join('；')}</div>}
      {g.criteria.map((c, ci) => (
        <CriterionEditor
          key={ci}
          c={c}
          path={`${path}.criteria[${ci}]`}
          errors={errors}
          canRemove={g.criteria.length > 1}
          onChange={(patch) => onCriterion(ci, patch)}
          onRemove={() => onRemoveCriterion(ci)}
        />
      ))}
      <Button type="dashed" block onClick={onAddCriterion} data-testid={`add-criterion-${gi}`}>
        + {t('editor.addCriterion')}
      </Button>
    </Card>
  );
}
