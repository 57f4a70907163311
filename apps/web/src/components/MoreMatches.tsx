import type { ReactNode } from 'react';
import { useT } from '../locales';

/**
 * The foot of a search box's list when the server found more matches than it sent: the list is the
 * first ones only, and typing more of the name narrows it. Use as a Select's popupRender.
 */
export function withMoreMatches(more: boolean | undefined, shown: number) {
  return (menu: ReactNode) => (
    <>
      {menu}
      {more && <MoreMatches shown={shown} />}
    </>
  );
}

export default function MoreMatches({ shown }: { shown: number }) {
  const t = useT();
  return (
    <div className="muted" style={{ padding: '4px 12px', fontSize: 12 }} data-testid="more-matches">
      {t('common.moreMatches', { n: shown })}
    </div>
  );
}
