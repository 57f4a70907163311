import { Space, Tag } from 'antd';
import {
  CONSEQUENCE_LABELS,
  INCIDENT_TYPE_LABELS,
  PUBLIC_TITLE_STATUS_LABELS,
  type Consequence,
  type IncidentType,
  type PublicTitleStatus,
} from '@pingan/core';
import { useI18n, type MessageKey } from '../../locales';

/** The small labels the incidents pages share. */
export const CONSEQUENCE_COLORS: Record<Consequence, string> = {
  revoke: 'red',
  suspend: 'gold',
  lower_stars: 'orange',
  lose_eligibility: 'volcano',
  none: 'default',
};
const STATUS_COLORS = { reported: 'processing', confirmed: 'red', dismissed: 'default' } as const;
const APPEAL_COLORS = { open: 'processing', upheld: 'success', dismissed: 'default' } as const;
const PUBLIC_COLORS: Record<PublicTitleStatus, string> = { valid: 'green', yellow: 'gold', revoked: 'red', expired: 'default' };

export function TypeTag({ type }: { type: IncidentType }) {
  const { pick } = useI18n();
  return <Tag color="magenta">{pick(INCIDENT_TYPE_LABELS[type])}</Tag>;
}

export function ConsequenceTags({ list }: { list: readonly Consequence[] | null }) {
  const { pick } = useI18n();
  if (!list?.length) return <span className="muted">—</span>;
  return (
    <Space size={[0, 4]} wrap>
      {list.map((c) => (
        <Tag key={c} color={CONSEQUENCE_COLORS[c]} data-consequence={c}>
          {pick(CONSEQUENCE_LABELS[c])}
        </Tag>
      ))}
    </Space>
  );
}

export function IncidentStatusTag({ status }: { status: keyof typeof STATUS_COLORS }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`incidents.status.${status}` as MessageKey)}
    </Tag>
  );
}

export function AppealTag({ status }: { status: keyof typeof APPEAL_COLORS | null }) {
  const { t } = useI18n();
  if (!status) return <span className="muted">—</span>;
  return <Tag color={APPEAL_COLORS[status]}>{t(`incidents.appeal.${status}` as MessageKey)}</Tag>;
}

export function TitleStatusTag({ status }: { status: PublicTitleStatus }) {
  const { pick } = useI18n();
  return (
    <Tag color={PUBLIC_COLORS[status]} data-title-status={status}>
      {pick(PUBLIC_TITLE_STATUS_LABELS[status])}
    </Tag>
  );
}
