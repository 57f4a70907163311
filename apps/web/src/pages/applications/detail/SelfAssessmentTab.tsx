import { useMemo } from 'react';
import { Card } from 'antd';
import type { MissingItem } from '@pingan/core';
import type { ApplicationDetail, EvidenceFile } from '../../../api/types';
import CriterionBlock from './CriterionBlock';
import type { Draft } from './useDraft';

const NO_ITEMS: MissingItem[] = [];
const NO_FILES: EvidenceFile[] = [];

/** 自查自评: the standard's groups and criteria, each with the applicant's answer. */
export default function SelfAssessmentTab({
  detail,
  draft,
  editable,
  marked,
}: {
  detail: ApplicationDetail;
  draft: Draft;
  editable: boolean;
  /** missing items to mark on the criteria (after a refused submission), by criterion */
  marked: Map<string, MissingItem[]> | null;
}) {
  const all = editable ? draft.files : detail.files;
  const filesBy = useMemo(() => {
    const m = new Map<string, EvidenceFile[]>();
    for (const f of all) if (f.criterionId) m.set(f.criterionId, [...(m.get(f.criterionId) ?? []), f]);
    return m;
  }, [all]);
  const onFilesChange = draft.setFiles;
  return (
    <div className="self-assessment">
      {detail.standard.groups.map((g) => (
        <Card key={g.id} title={g.name} className="group-card" size="small">
          {g.criteria.map((c) => (
            <CriterionBlock
              key={c.id}
              applicationId={detail.id}
              c={c}
              answer={draft.answers[c.id]}
              files={filesBy.get(c.id) ?? NO_FILES}
              editable={editable}
              marked={marked?.get(c.id) ?? NO_ITEMS}
              setStatement={draft.setStatement}
              setFigure={draft.setFigure}
              onFilesChange={onFilesChange}
            />
          ))}
        </Card>
      ))}
    </div>
  );
}
