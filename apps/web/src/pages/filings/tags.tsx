import { Space, Tag } from 'antd';
import type { FilingKind, FilingState } from '@pingan/core';
import { useI18n } from '../../locales';

/** The small labels the filings pages share: 未报 grey, 草稿 gold, 已报 blue, 已接收 green, 退回 orange, 逾期 red. */
export const STATE_COLORS: Record<FilingState, string> = {
  not_filed: 'default',
  draft: 'gold',
  submitted: 'processing',
  accepted: 'success',
  returned: 'orange',
};

export function StateTag({ state, late }: { state: FilingState; late?: boolean }) {
  const { t } = useI18n();
  return (
    <Space size={2} wrap>
      <Tag color={STATE_COLORS[state]} data-testid={`filing-state-${state}`}>
        {t(`filings.state.${state}`)}
      </Tag>
      {late && (
        <Tag color="red" data-testid="filing-late">
          {t('filings.late')}
        </Tag>
      )}
    </Space>
  );
}

export function KindTag({ kind }: { kind: FilingKind }) {
  const { t } = useI18n();
  return <Tag color="geekblue">{t(`filings.kind.${kind}`)}</Tag>;
}
