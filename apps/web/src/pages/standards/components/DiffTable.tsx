import type { HTMLAttributes } from 'react';
import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { StandardChange, StandardChangeKind } from '@pingan/core';
import { useI18n, type I18n } from '../../../locales';
import { fieldOf, locationOf, showValue } from './diffFormat';

/** added green, removed red, changed gold: the tag colour and a light row background */
export const KIND_COLOR: Record<StandardChangeKind, { tag: string; bg: string; edge: string }> = {
  added: { tag: 'green', bg: '#f6ffed', edge: '#52c41a' },
  removed: { tag: 'red', bg: '#fff1f0', edge: '#f5222d' },
  changed: { tag: 'gold', bg: '#fffbe6', edge: '#d4a017' },
};

/** 新增2项，删除1项，修改3处 in the reader's language; criteria count as items. */
export function diffCounts(changes: StandardChange[], t: I18n['t']): string {
  if (changes.length === 0) return t('diff.none');
  const added = changes.filter((c) => c.target === 'criterion' && c.kind === 'added').length;
  const removed = changes.filter((c) => c.target === 'criterion' && c.kind === 'removed').length;
  const changed = changes.length - added - removed;
  const parts = [added && t('diff.added', { n: added }), removed && t('diff.removed', { n: removed }), changed && t('diff.changed', { n: changed })];
  return parts.filter((p): p is string => typeof p === 'string').join(t('diff.sep'));
}

const cell = { whiteSpace: 'pre-wrap', wordBreak: 'break-word' } as const;

/** The changes between two versions (core diffStandards), one row each. */
export default function DiffTable({ changes, loading, testId = 'diff-table' }: { changes: StandardChange[]; loading?: boolean; testId?: string }) {
  const { t, lang } = useI18n();
  const columns: ColumnsType<StandardChange> = [
    {
      title: t('diff.location'),
      key: 'where',
      width: 130,
      render: (_: unknown, c) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <Tag color={KIND_COLOR[c.kind].tag}>{t(`diff.kind.${c.kind}`)}</Tag>
          {locationOf(c, t)}
        </span>
      ),
    },
    { title: t('diff.field'), key: 'field', width: 110, render: (_: unknown, c) => fieldOf(c, t) },
    { title: t('diff.before'), key: 'before', width: '22%', render: (_: unknown, c) => <span style={cell}>{showValue(c.before, c.field, { t, lang })}</span> },
    { title: t('diff.after'), key: 'after', width: '22%', render: (_: unknown, c) => <span style={cell}>{showValue(c.after, c.field, { t, lang })}</span> },
    { title: t('diff.summary'), dataIndex: 'summary', render: (s: string) => <span style={cell}>{s}</span> },
  ];
  return (
    <div data-testid={testId}>
      <Table<StandardChange>
        rowKey={(c, i) => `${c.target}-${c.id}-${c.field ?? ''}-${i ?? 0}`}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={changes}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(c) => ({ 'data-kind': c.kind, style: { background: KIND_COLOR[c.kind].bg, boxShadow: `inset 3px 0 0 ${KIND_COLOR[c.kind].edge}` } }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('diff.none') }}
      />
    </div>
  );
}
