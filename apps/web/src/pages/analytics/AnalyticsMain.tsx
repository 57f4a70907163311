import { useSearchParams } from 'react-router-dom';
import { Select, Tabs } from 'antd';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import DrilldownTab from './DrilldownTab';
import MatrixTab from './MatrixTab';
import TrendsTab from './TrendsTab';
import RankingTab from './RankingTab';
import SurveysTab from './SurveysTab';

const TABS = ['drill', 'matrix', 'trends', 'ranking', 'surveys'] as const;
type Tab = (typeof TABS)[number];
const THIS_YEAR = new Date().getFullYear();
const YEARS = Array.from({ length: 6 }, (_, i) => THIS_YEAR - i);

/** Reads a positive integer search parameter. */
const intParam = (v: string | null) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 && n <= 2147483647 ? n : undefined;
};

/**
 * 数据分析: five tabs over the account's scope. Where one is (tab, year, region, unit, view, page)
 * lives in the address, so the browser's back button walks back up a drill-down.
 */
export default function AnalyticsMain() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'drill';
  const year = intParam(params.get('year')) ?? THIS_YEAR;
  const regionId = intParam(params.get('region'));

  const set = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next);
  };

  return (
    <PageContainer
      title={t('analytics.title')}
      subTitle={t('analytics.subtitle')}
      extra={
        <Select<number>
          style={{ width: 120 }}
          value={year}
          onChange={(y) => set({ year: y === THIS_YEAR ? undefined : y, page: undefined })}
          options={YEARS.map((y) => ({ value: y, label: t('analytics.yearLabel', { year: y }) }))}
          data-testid="analytics-year"
          aria-label={t('analytics.year')}
        />
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'drill' ? undefined : k, page: undefined })}
        destroyOnHidden
        items={[
          {
            key: 'drill',
            label: t('analytics.tab.drill'),
            children: (
              <DrilldownTab
                year={year}
                regionId={regionId}
                unitId={intParam(params.get('unit'))}
                view={params.get('view') === 'units' ? 'units' : 'regions'}
                page={intParam(params.get('page')) ?? 1}
                q={params.get('q') ?? ''}
                go={set}
              />
            ),
          },
          { key: 'matrix', label: t('analytics.tab.matrix'), children: <MatrixTab regionId={regionId} /> },
          { key: 'trends', label: t('analytics.tab.trends'), children: <TrendsTab regionId={regionId} /> },
          { key: 'ranking', label: t('analytics.tab.ranking'), children: <RankingTab year={year} /> },
          { key: 'surveys', label: t('analytics.tab.surveys'), children: <SurveysTab regionId={regionId} year={year} /> },
        ]}
      />
    </PageContainer>
  );
}
