import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { votesApi, type ResponseOf } from '@pingan/contract';
import {
  ApiError,
  Badge,
  Button,
  Card,
  ErrorText,
  Fields,
  Loading,
  NotFound,
  PageTitle,
  TextField,
  call,
  errorMessage,
  useApi,
  useSmsCode,
  useT,
} from '../../kit';
import dict from '../../locales/votes';
import { STATE_TONE } from './state';
import './vote.css';

type Vote = ResponseOf<typeof votesApi.publicDetail>;

/**
 * 网络评选: one vote. While it runs: the candidates to choose (up to maxChoices), the phone and its
 * SMS code, the vote; no counts. After the close: the results, counted without the ballots set aside.
 */
export default function VotePage() {
  const t = useT(dict);
  const { code } = useParams();
  const { data: v, error, loading, reload } = useApi(() => call(votesApi.publicDetail, { params: { code: code ?? '' } }), [code]);

  if (loading && !v) return <Loading />;
  if (error && (error.status === 404 || error.status === 400)) return <NotFound />;
  if (error && !v) return <ErrorText onRetry={reload}>{error.message}</ErrorText>;
  if (!v) return null;

  return (
    <div className="vt-page" data-testid="public-vote" data-state={v.state}>
      <PageTitle sub={`${v.campaignName}`}>{v.title}</PageTitle>
      <Card>
        <div className="vt-state">
          <Badge tone={STATE_TONE[v.state]}>{t(`state.${v.state}`)}</Badge>
        </div>
        <Fields
          rows={[
            [t('vote.period'), `${v.startsOn} ${t('date.to')} ${v.endsOn}`],
            [t('vote.region'), v.regionName],
            [t('vote.category'), v.categoryName],
            [t('vote.rule'), t('vote.ruleText', { n: v.maxChoices, w: v.weightPercent })],
          ]}
        />
        {v.body && <p className="vt-body">{v.body}</p>}
        {v.state === 'open' && <p className="vt-note">{t('vote.noCounts')}</p>}
        {v.state === 'upcoming' && <p className="vt-note">{t('vote.upcoming', { d: v.startsOn })}</p>}
        {v.state === 'counting' && <p className="vt-note">{t('vote.counting')}</p>}
      </Card>
      {v.state === 'open' ? (
        <Ballot vote={v} />
      ) : v.state === 'closed' ? (
        <Results vote={v} />
      ) : (
        <Card title={t('vote.candidatesTitle')}>
          <ul className="vt-cands">
            {v.candidates.map((c) => (
              <li key={c.code} className="vt-cand vt-cand-static">
                <span className="vt-cand-name">{c.name}</span>
                <span className="pp-muted pp-small">{c.regionName}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <p className="vt-back">
        <Link to="/public/votes">← {t('vote.back')}</Link>
      </p>
    </div>
  );
}

/** Choose, confirm the phone with a code, vote. */
function Ballot({ vote }: { vote: Vote }) {
  const t = useT(dict);
  const [chosen, setChosen] = useState<string[]>([]);
  const [phone, setPhone] = useState('');
  const [sms, setSms] = useState('');
  const otp = useSmsCode('vote');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<string[] | null>(null);

  const phoneOk = /^1[3-9]\d{9}$/.test(phone);
  const problems = {
    choice: chosen.length ? null : t('vote.pickOne'),
    phone: phoneOk ? null : t('vote.needPhone'),
    code: /^\d{6}$/.test(sms) ? null : t('vote.needCode'),
  };
  const show = (k: keyof typeof problems) => (touched ? problems[k] : null);

  const toggle = (c: string) => {
    setNotice(null);
    if (chosen.includes(c)) return setChosen(chosen.filter((x) => x !== c));
    if (chosen.length >= vote.maxChoices) {
      // one choice allowed: a tap moves it; more: say the limit
      if (vote.maxChoices === 1) return setChosen([c]);
      return setNotice(t('vote.tooMany', { n: vote.maxChoices }));
    }
    setChosen([...chosen, c]);
  };

  const sendCode = async () => {
    setError(null);
    if (!phoneOk) {
      setTouched(true);
      return;
    }
    try {
      await otp.send(phone);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setError(null);
    if (Object.values(problems).some(Boolean)) return;
    setBusy(true);
    try {
      await call(votesApi.cast, { params: { code: vote.code }, body: { phone, smsCode: sms, choices: chosen } });
      setDone(chosen.map((c) => vote.candidates.find((x) => x.code === c)?.name ?? c));
    } catch (err) {
      setError(errorMessage(err));
      // a used or wrong code is cleared for the next one; the fields' own hints stay quiet under the server's answer
      if (err instanceof ApiError && err.code === 'WRONG_OTP') setSms('');
      setTouched(false);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <Card className="vt-done" data-testid="vote-done">
        <h2 className="vt-done-title">✓ {t('vote.done')}</h2>
        <p>{t('vote.doneChose', { names: done.join('、') })}</p>
        <p className="pp-muted pp-small">{t('vote.doneResults')}</p>
      </Card>
    );

  return (
    <form onSubmit={submit} noValidate data-testid="vote-form">
      <Card title={t('vote.chooseTitle', { k: chosen.length, n: vote.maxChoices })}>
        <p className="pp-hint vt-choose-hint">{t('vote.chooseHint')}</p>
        <ul className="vt-cands" role="group" aria-label={t('vote.candidatesTitle')}>
          {vote.candidates.map((c) => {
            const on = chosen.includes(c.code);
            return (
              <li key={c.code}>
                <button
                  type="button"
                  className={`vt-cand${on ? ' vt-cand-on' : ''}`}
                  aria-pressed={on}
                  onClick={() => toggle(c.code)}
                  data-testid={`vote-candidate-${c.code}`}
                >
                  <span className="vt-check" aria-hidden>
                    {on ? '✓' : ''}
                  </span>
                  <span className="vt-cand-text">
                    <span className="vt-cand-name">{c.name}</span>
                    <span className="pp-muted pp-small">{c.regionName}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        {(notice || show('choice')) && (
          <div className="pp-field-error" role="alert" data-testid="vote-choice-error">
            {notice ?? show('choice')}
          </div>
        )}
      </Card>
      <Card>
        <div className="pp-row">
          <TextField
            label={t('vote.phone')}
            value={phone}
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
            error={show('phone')}
            data-testid="vote-phone"
          />
          <Button onClick={sendCode} loading={otp.sending} disabled={otp.wait > 0} className="vt-code-btn" data-testid="vote-send-code">
            {otp.wait > 0 ? t('vote.resend', { s: otp.wait }) : t('vote.sendCode')}
          </Button>
        </div>
        {otp.sent ? (
          <p className="pp-hint vt-sent" data-testid="vote-code-sent">
            {t('vote.codeSent', { to: otp.sent.to, m: otp.sent.minutes })}
          </p>
        ) : (
          <p className="pp-hint vt-sent">{t('vote.phoneHint')}</p>
        )}
        <TextField
          label={t('vote.code')}
          value={sms}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          onChange={(e) => setSms(e.target.value.replace(/\D/g, ''))}
          error={show('code')}
          data-testid="vote-sms-code"
        />
        {error && (
          <div data-testid="vote-error">
            <ErrorText>{error}</ErrorText>
          </div>
        )}
        <Button type="submit" kind="primary" block loading={busy} data-testid="vote-submit">
          {t('vote.submit')}
        </Button>
      </Card>
    </form>
  );
}

/** After the close: candidates by rank with their counted votes and share; the ballot totals. */
function Results({ vote }: { vote: Vote }) {
  const t = useT(dict);
  const ranked = [...vote.candidates].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  const top = Math.max(1, ...ranked.map((c) => c.votes ?? 0));
  return (
    <Card title={t('vote.results')} data-testid="vote-results">
      {vote.closedEarly && <p className="vt-note">{t('vote.closedEarly')}</p>}
      <ol className="vt-results">
        {ranked.map((c) => (
          <li key={c.code} className="vt-result" data-testid={`vote-result-${c.code}`}>
            <div className="vt-result-head">
              <span className="vt-rank">{t('vote.rank', { n: c.rank ?? '—' })}</span>
              <span className="vt-cand-name">{c.name}</span>
              <strong className="vt-votes">{t('vote.votesN', { n: c.votes ?? 0 })}</strong>
            </div>
            <div className="vt-bar" aria-hidden>
              <span style={{ width: `${((c.votes ?? 0) / top) * 100}%` }} />
            </div>
            <div className="pp-muted pp-small">
              {c.regionName} · {t('vote.share', { p: c.sharePercent ?? 0 })}
            </div>
          </li>
        ))}
      </ol>
      {vote.totals && (
        <p className="pp-small vt-totals" data-testid="vote-totals">
          {t('vote.totals', { b: vote.totals.ballots, s: vote.totals.setAside, c: vote.totals.counted })}
        </p>
      )}
    </Card>
  );
}
