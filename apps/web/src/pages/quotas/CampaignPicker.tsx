import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Select } from 'antd';
import { listCampaigns, type CampaignFull } from '../../api/campaigns';
import { useAsync } from '../../hooks/useAsync';
import { useT } from '../../locales';

/**
 * The campaign a page works on, kept in the address (?campaignId=) so a link opens the same view.
 * `fits` narrows the list (e.g. campaigns that take recommendations); the first one is chosen
 * when the address names none.
 */
export function useCampaignParam(fits: (c: CampaignFull) => boolean) {
  const [params, setParams] = useSearchParams();
  const campaigns = useAsync(listCampaigns, []);
  const options = useMemo(() => (campaigns.data ?? []).filter((c) => c.status !== 'withdrawn' && fits(c)), [campaigns.data, fits]);
  const raw = Number(params.get('campaignId'));
  const campaignId = Number.isInteger(raw) && raw > 0 ? raw : undefined;
  useEffect(() => {
    if (campaignId === undefined && options.length) setParams({ campaignId: String(options[0]!.id) }, { replace: true });
  }, [campaignId, options, setParams]);
  const setCampaignId = (id: number) => setParams({ campaignId: String(id) });
  return { campaignId, setCampaignId, options, campaigns };
}

export default function CampaignPicker({
  value,
  options,
  loading,
  onChange,
  testId,
}: {
  value: number | undefined;
  options: CampaignFull[];
  loading: boolean;
  onChange: (id: number) => void;
  testId: string;
}) {
  const t = useT();
  return (
    <Select<number>
      style={{ width: 380, maxWidth: '100%' }}
      placeholder={t('quotas.chooseCampaign')}
      value={value}
      loading={loading}
      onChange={onChange}
      options={options.map((c) => ({ value: c.id, label: `${c.name}（${c.regionName}）` }))}
      data-testid={testId}
      notFoundContent={t('quotas.noCampaign')}
    />
  );
}
