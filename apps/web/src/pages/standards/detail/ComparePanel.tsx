import { useEffect, useState } from 'react';
import { Alert, Select, Space, Typography } from 'antd';
import { diffVersions } from '../../../api/standards';
import type { StandardSummary } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import ErrorBox from '../../../components/ErrorBox';
import DiffTable, { diffCounts } from '../components/DiffTable';

/** 版本对比: two version numbers, and the server's diff between them. */
export default function ComparePanel({ standard }: { standard: StandardSummary }) {
  const t = useT();
  const numbers = standard.versions.map((v) => v.version);
  const last = numbers.at(-1) ?? 1;
  const [a, setA] = useState(numbers.at(-2) ?? last);
  const [b, setB] = useState(last);
  // a new version arrived (or another standard): compare the latest two again
  useEffect(() => {
    setA(numbers.at(-2) ?? last);
    setB(last);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [standard.id, last]);
  const diff = useAsync(() => diffVersions(standard.id, a, b), [standard.id, a, b]);
  const options = numbers.map((n) => ({ value: n, label: t('standardView.version', { n }) }));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('standardDetail.from')}</span>
        <Select data-testid="diff-a" value={a} options={options} onChange={setA} style={{ width: 120 }} />
        <span>→</span>
        <span>{t('standardDetail.to')}</span>
        <Select data-testid="diff-b" value={b} options={options} onChange={setB} style={{ width: 120 }} />
        {numbers.length > 1 && diff.data && !diff.loading && (
          <Typography.Text strong data-testid="diff-summary">
            {diffCounts(diff.data, t)}
          </Typography.Text>
        )}
      </Space>
      {numbers.length < 2 ? (
        <Alert type="info" showIcon title={t('standardDetail.onlyOne')} />
      ) : (
        <>
          {diff.error && <ErrorBox error={diff.error} onRetry={diff.reload} />}
          <DiffTable changes={diff.data ?? []} loading={diff.loading} />
        </>
      )}
    </Space>
  );
}
