import { Steps } from 'antd';
import type { CampaignPhase } from '../../api/types';
import { useI18n, type MessageKey } from '../../locales';
import { today } from '../../utils/format';

const ORDER = ['mobilise', 'apply', 'guide', 'accept'] as const;

/** 动员部署 → 推荐申报 → 指导培育 → 验收表彰, each with its dates; the current ones highlighted. */
export default function PhaseSteps({ phases }: { phases: CampaignPhase[] }) {
  const { t, lang } = useI18n();
  const d = today();
  const sorted = [...phases].sort((a, b) => ORDER.indexOf(a.key) - ORDER.indexOf(b.key));
  const current = sorted.findIndex((p) => d >= p.start && d <= p.end);
  return (
    <Steps
      size="small"
      current={current >= 0 ? current : sorted.filter((p) => p.end < d).length}
      items={sorted.map((p) => ({
        title: lang === 'zh-CN' ? p.name : t(`phase.${p.key}` as MessageKey),
        content: `${p.start} ~ ${p.end}`,
        status: p.end < d ? 'finish' : d >= p.start ? 'process' : 'wait',
      }))}
    />
  );
}
