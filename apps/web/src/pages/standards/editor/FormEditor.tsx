import { Button, Form } from 'antd';
import type { StandardDoc } from '@pingan/core';
import { useT } from '../../../locales';
import { edits } from './draft';
import type { FieldError } from './validation';
import GroupEditor from './GroupEditor';
import StarBandsEditor from './StarBandsEditor';

/** The form view of the draft: groups with their criteria, then the star bands. */
export default function FormEditor({ doc, errors, update }: { doc: StandardDoc; errors: FieldError[]; update: (fn: (d: StandardDoc) => StandardDoc) => void }) {
  const t = useT();
  return (
    <Form layout="vertical" component="div">
      {doc.groups.map((g, gi) => (
        <GroupEditor
          key={gi}
          g={g}
          gi={gi}
          errors={errors}
          canRemove={doc.groups.length > 1}
          onGroup={(patch) => update((d) => edits.group(d, gi, patch))}
          onCriterion={(ci, patch) => update((d) => edits.criterion(d, gi, ci, patch))}
          onAddCriterion={() => update((d) => edits.addCriterion(d, gi))}
          onRemoveCriterion={(ci) => update((d) => edits.removeCriterion(d, gi, ci))}
          onRemove={() => update((d) => edits.removeGroup(d, gi))}
        />
      ))}
      <Button type="dashed" block onClick={() => update((d) => edits.addGroup(d, t('editor.newGroupName')))} style={{ marginBottom: 16 }} data-testid="add-group">
        + {t('editor.addGroup')}
      </Button>
      <StarBandsEditor bands={doc.starRules.bands} errors={errors} onChange={(bands) => update((d) => edits.bands(d, bands))} />
    </Form>
  );
}
