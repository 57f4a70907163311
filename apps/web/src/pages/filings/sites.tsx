import { useState } from 'react';
import { Button, Input, Select, Space, Table } from 'antd';
import { searchSites, type Filing } from '../../api/filings';
import { useI18n } from '../../locales';
import { withMoreMatches } from '../../components/MoreMatches';

export type Site = Filing['sites'][number];

/** 示范点: units (or regions) of the filer's region, each with its brand/category and a note. */
export default function SitesEditor({
  filing,
  value,
  editable,
  onChange,
}: {
  filing: Filing;
  value: Site[];
  editable: boolean;
  onChange(v: Site[]): void;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ id: number; name: string; regionName: string }[]>([]);
  const [more, setMore] = useState(false);
  const [subject, setSubject] = useState<number | null>(null);
  const [category, setCategory] = useState<string | null>(filing.categories[0]?.code ?? null);
  const [note, setNote] = useState('');
  const search = async (q: string) => {
    const r = await searchSites(filing.id, q);
    setOptions(r.items);
    setMore(r.more);
  };
  const add = () => {
    const s = options.find((o) => o.id === subject);
    const c = filing.categories.find((x) => x.code === category);
    if (!s || !c) return;
    onChange([
      ...value,
      { subjectId: s.id, subjectName: s.name, regionName: s.regionName, categoryCode: c.code, categoryName: c.name, note: note || null },
    ]);
    setSubject(null);
    setNote('');
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="filing-sites">
      <Table<Site>
        size="small"
        rowKey={(r) => `${r.subjectId}:${r.categoryCode}`}
        pagination={false}
        dataSource={value}
        locale={{ emptyText: t('filings.sites.empty') }}
        columns={[
          { title: t('filings.sites.subject'), dataIndex: 'subjectName' },
          { title: t('filings.col.filer'), dataIndex: 'regionName', width: 120 },
          { title: t('filings.sites.category'), dataIndex: 'categoryName', width: 140 },
          { title: t('filings.sites.note'), dataIndex: 'note', render: (n: string | null) => n ?? '' },
          ...(editable
            ? [
                {
                  title: t('filings.col.actions'),
                  key: 'x',
                  width: 80,
                  render: (_: unknown, r: Site) => (
                    <Button size="small" type="link" danger onClick={() => onChange(value.filter((x) => x !== r))}>
                      {t('filings.deleteRequirement')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editable && (
        <Space wrap>
          <Select<number>
            showSearch
            style={{ width: 280 }}
            placeholder={t('filings.sites.pick')}
            filterOption={false}
            onSearch={(q) => void search(q)}
            onFocus={() => void search('')}
            value={subject ?? undefined}
            onChange={setSubject}
            options={options.map((o) => ({ value: o.id, label: `${o.name}（${o.regionName}）` }))}
            popupRender={withMoreMatches(more, options.length)}
            data-testid="filing-site-subject"
          />
          <Select<string>
            style={{ width: 160 }}
            value={category ?? undefined}
            onChange={setCategory}
            options={filing.categories.map((c) => ({ value: c.code, label: c.name }))}
          />
          <Input
            style={{ width: 200 }}
            maxLength={500}
            placeholder={t('filings.sites.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <Button onClick={add} disabled={!subject || !category} data-testid="filing-site-add">
            {t('filings.sites.add')}
          </Button>
        </Space>
      )}
    </Space>
  );
}
