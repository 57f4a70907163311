import { DatePicker, Select, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Chain, ChainStep } from '@pingan/core';
import type { ChainPreset } from '../../api/campaigns';
import { useI18n, type MessageKey } from '../../locales';

/** Who owns a step, in words: 创建活动所属平安办, 申请人所在村（社区）平安办, 牵头部门… */
export function ownerKey(o: ChainStep['owner']): MessageKey {
  return (o.kind === 'office' ? `campaignChain.owner.office.${o.level}` : `campaignChain.owner.${o.kind}`) as MessageKey;
}

/**
 * 评审流程: the chain preset selector and the chain's steps with an editable deadline each. When
 * `locked` (applications have left draft) only the deadlines change.
 */
export default function ChainEditor({
  value,
  presets,
  locked,
  onChange,
}: {
  value: Chain | null;
  presets: ChainPreset[];
  locked: boolean;
  onChange: (c: Chain) => void;
}) {
  const { t, lang } = useI18n();
  const options = presets.map((p) => ({ value: p.preset, label: p.name }));
  if (value && !presets.some((p) => p.preset === value.preset)) options.push({ value: value.preset, label: value.name });
  const setDeadline = (key: string, d: Dayjs | null) =>
    value &&
    onChange({ ...value, steps: value.steps.map((s) => (s.key === key ? { ...s, deadline: d ? d.format('YYYY-MM-DD') : null } : s)) });
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('campaignChain.presetHint')}</Typography.Paragraph>
      <Select
        value={value?.preset}
        options={options}
        disabled={locked}
        onChange={(k: string) => {
          const p = presets.find((x) => x.preset === k);
          if (p) {
            const { isDefault: _d, ...chain } = p;
            onChange(structuredClone(chain));
          }
        }}
        style={{ width: '100%', maxWidth: 520, marginBottom: 12 }}
        placeholder={t('campaignChain.preset')}
        data-testid="campaign-chain"
      />
      {value && (
        <Table<ChainStep>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={value.steps}
          scroll={{ x: 560 }}
          data-testid="campaign-chain-steps"
          columns={[
            { title: '#', key: 'i', width: 44, render: (_: unknown, __: ChainStep, i: number) => i + 1 },
            {
              title: t('campaignChain.step'),
              dataIndex: 'name',
              render: (n: string, s) => <strong>{lang === 'en-US' && s.nameEn ? s.nameEn : n}</strong>,
            },
            { title: t('campaignChain.owner'), key: 'owner', render: (_: unknown, s) => t(ownerKey(s.owner)) },
            {
              title: t('campaignChain.deadline'),
              key: 'deadline',
              width: 200,
              render: (_: unknown, s) => (
                <DatePicker
                  value={s.deadline ? dayjs(s.deadline) : null}
                  onChange={(d) => setDeadline(s.key, d)}
                  placeholder={t('campaignChain.deadlineNone')}
                  style={{ width: '100%' }}
                  data-testid={`campaign-step-deadline-${s.key}`}
                />
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
