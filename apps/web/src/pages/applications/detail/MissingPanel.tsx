import { Alert } from 'antd';
import type { MissingItem } from '@pingan/core';
import { useT } from '../../../locales';

/**
 * What is still missing before submitting. After the server refused a submission (422 INCOMPLETE)
 * it lists the server's items in red; otherwise the live checklist.
 */
export default function MissingPanel({
  live,
  refused,
  onGo,
}: {
  live: MissingItem[];
  refused: MissingItem[] | null;
  onGo: (m: MissingItem) => void;
}) {
  const t = useT();
  const items = refused ?? live;
  if (!refused && live.length === 0)
    return <Alert type="success" showIcon title={t('detail.missingNone')} style={{ marginBottom: 16 }} data-testid="missing-none" />;
  return (
    <Alert
      type={refused ? 'error' : 'warning'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid={refused ? 'incomplete-alert' : 'missing-checklist'}
      title={refused ? t('detail.incompleteTitle', { n: refused.length }) : t('detail.missingTitle', { n: live.length })}
      description={
        <ol className="missing-list" data-testid="missing-list">
          {items.map((m, i) => (
            <li key={`${m.criterionId ?? 'form'}-${m.field}-${i}`} data-criterion={m.criterionId ?? ''}>
              <a onClick={() => onGo(m)}>{m.message}</a>
            </li>
          ))}
        </ol>
      }
    />
  );
}
