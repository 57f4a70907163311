import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { noticesApi, type ResponseOf } from '@pingan/contract';
import { Badge, Button, Card, ErrorText, Fields, Loading, NotFound, PageTitle, Stars, TextField, call, useApi, useT } from '../../kit';
import dict from '../../locales/objections';
import ObjectionForm from './ObjectionForm';
import './notice.css';

type Notice = ResponseOf<typeof noticesApi.publicDetail>;
type Item = Notice['items'][number];

const STATUS_TONE = { in_notice: 'gold', conferred: 'green', withdrawn: 'grey' } as const;

/**
 * 公示: a notice with its candidates (households masked), how many objections each drew and how
 * they ended; during the notice, an objection form under each candidate.
 */
export default function NoticePage() {
  const t = useT(dict);
  const { code } = useParams();
  const { data: n, error, loading, reload } = useApi(() => call(noticesApi.publicDetail, { params: { code: code ?? '' } }), [code]);
  const [objecting, setObjecting] = useState<string | null>(null);

  // keep the page (and an open form's receipt) while the counts reload
  if (loading && !n) return <Loading />;
  if (error && (error.status === 404 || error.status === 400)) return <NotFound />;
  if (error && !n) return <ErrorText onRetry={reload}>{error.message}</ErrorText>;
  if (!n) return null;

  return (
    <div className="ob-page" data-testid="public-notice">
      <PageTitle sub={t('notice.pageTitle')}>{n.title}</PageTitle>
      <Card>
        <div className="ob-state">
          <Badge tone={n.open ? 'red' : 'grey'}>{t(n.open ? 'notice.open' : 'notice.ended')}</Badge>
        </div>
        <Fields
          rows={[
            [t('notice.period'), `${n.startsOn} ${t('date.to')} ${n.endsOn}`],
            [t('notice.region'), n.regionName],
          ]}
        />
        {n.body && <p className="ob-body">{n.body}</p>}
        <p className={n.open ? 'ob-hint-open' : 'pp-muted pp-small'} data-testid="notice-hint">
          {n.open ? t('notice.openHint', { start: n.startsOn, end: n.endsOn }) : t('notice.endedHint', { end: n.endsOn })}
        </p>
      </Card>
      <Card title={t('notice.candidates', { n: n.items.length })}>
        <ul className="ob-cands">
          {n.items.map((i) => (
            <Candidate
              key={i.code}
              item={i}
              open={objecting === i.code}
              onToggle={() => setObjecting(objecting === i.code ? null : i.code)}
              onFiled={reload}
            />
          ))}
        </ul>
      </Card>
      <ReceiptLookup />
    </div>
  );
}

function Candidate({ item: i, open, onToggle, onFiled }: { item: Item; open: boolean; onToggle: () => void; onFiled: () => void }) {
  const t = useT(dict);
  const o = i.objections;
  return (
    <li className={i.withdrawn ? 'ob-cand ob-cand-off' : 'ob-cand'} data-testid={`candidate-${i.no}`} data-code={i.code}>
      <div className="ob-cand-head">
        <span className="ob-cand-name">{i.subjectName}</span>
        <Badge tone={STATUS_TONE[i.status]}>{t(`notice.status.${i.status}`)}</Badge>
      </div>
      <div className="pp-list-meta">
        <span>{t('notice.candidate.no', { no: i.no })}</span>
        <span>{i.regionName}</span>
        <span>{i.categoryName}</span>
        {i.stars !== null ? <Stars value={i.stars} /> : <span>{t('notice.candidate.title')}</span>}
        {i.score !== null && <span>{t('notice.candidate.score', { score: Math.round(i.score * 10) / 10 })}</span>}
      </div>
      <div className="ob-counts" data-testid={`objection-counts-${i.no}`}>
        <span className="ob-counts-label">{t('notice.objections')}</span>
        {o.filed ? t('notice.objections.summary', { ...o }) : <span className="pp-muted">{t('notice.objections.none')}</span>}
      </div>
      {i.canObject && (
        <div className="ob-cand-act">
          <Button kind={open ? 'default' : 'primary'} onClick={onToggle} aria-expanded={open} data-testid={`object-${i.no}`}>
            {open ? t('notice.objectClose') : t('notice.object')}
          </Button>
        </div>
      )}
      {open && <ObjectionForm code={i.code} name={i.subjectName} onFiled={onFiled} />}
    </li>
  );
}

/** 查询异议办理情况: the receipt opens its page. */
function ReceiptLookup() {
  const t = useT(dict);
  const navigate = useNavigate();
  const [v, setV] = useState('');
  const [bad, setBad] = useState(false);
  const go = (e: FormEvent) => {
    e.preventDefault();
    const code = v.trim().toUpperCase();
    if (!/^[0-9A-HJKMNP-TV-Z]{8,40}$/.test(code)) return setBad(true);
    navigate(`/public/objections/${code}`);
  };
  return (
    <Card title={t('notice.receiptLookup')}>
      <form className="pp-row" onSubmit={go}>
        <TextField
          label={t('notice.receiptLabel')}
          value={v}
          onChange={(e) => {
            setV(e.target.value);
            setBad(false);
          }}
          hint={t('notice.receiptHint')}
          error={bad ? t('notice.receiptBad') : null}
          autoCapitalize="characters"
          spellCheck={false}
          data-testid="receipt-input"
        />
        <Button type="submit" className="ob-lookup-btn" data-testid="receipt-go">
          {t('notice.receiptGo')}
        </Button>
      </form>
    </Card>
  );
}
