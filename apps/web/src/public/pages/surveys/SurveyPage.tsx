import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { surveysApi, type ResponseOf } from '@pingan/contract';
import {
  ApiError,
  Button,
  Card,
  ErrorText,
  Fields,
  Loading,
  NotFound,
  PageTitle,
  SelectField,
  TextField,
  call,
  errorMessage,
  useApi,
  useLang,
  useSmsCode,
  useT,
} from '../../kit';
import dict from '../../locales/surveys';
import './survey.css';

type Survey = ResponseOf<typeof surveysApi.publicDetail>;
type Question = Survey['questions'][number];
type Value = string | number | boolean;

/**
 * 问卷调查: one survey for the public. While open: the respondent's region (among the plan's), the
 * questions, then the phone and its SMS code (or the invitation code), submit, thanks. Otherwise the
 * server's message (尚未发布, 已结束 …). Anonymous: nothing of the respondent is shown back.
 */
export default function SurveyPage() {
  const t = useT(dict);
  const { code } = useParams();
  const { data: s, error, loading, reload } = useApi(() => call(surveysApi.publicDetail, { params: { code: code ?? '' } }), [code]);

  if (loading && !s) return <Loading />;
  if (error && (error.status === 404 || error.status === 400)) return <NotFound />;
  if (error && !s) return <ErrorText onRetry={reload}>{error.message}</ErrorText>;
  if (!s) return null;

  return (
    <div className="sv-page" data-testid="public-survey" data-state={s.state}>
      <PageTitle sub={`${s.regionName} · ${s.year}`}>{s.title}</PageTitle>
      {s.state !== 'open' ? (
        <Card className="sv-closed" data-testid="survey-unavailable">
          <h2 className="sv-closed-title">{t('survey.unavailable')}</h2>
          <p>{s.message}</p>
        </Card>
      ) : (
        <>
          <Card>
            {s.intro && <p className="sv-intro">{s.intro}</p>}
            <Fields
              rows={[[t('survey.region'), s.regionName], s.closesOn ? [t('survey.period'), t('survey.until', { d: s.closesOn })] : null]}
            />
            <p className="sv-note">{t('survey.anonymous')}</p>
          </Card>
          <AnswerForm survey={s} />
        </>
      )}
    </div>
  );
}

function AnswerForm({ survey }: { survey: Survey }) {
  const t = useT(dict);
  const [answers, setAnswers] = useState<Record<string, Value>>({});
  const [region, setRegion] = useState(survey.regions.length === 1 ? survey.regions[0]!.name : '');
  const [phone, setPhone] = useState('');
  const [sms, setSms] = useState('');
  const [invitation, setInvitation] = useState('');
  const otp = useSmsCode('survey');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const byPhone = survey.identity === 'phone';

  const phoneOk = /^1[3-9]\d{9}$/.test(phone);
  const unanswered = survey.questions.filter((q) => q.required && (answers[q.id] === undefined || answers[q.id] === ''));
  const problems = {
    region: byPhone && !region ? t('survey.needRegion') : null,
    questions: unanswered.length ? t('survey.incomplete', { n: unanswered.length }) : null,
    phone: byPhone && !phoneOk ? t('survey.needPhone') : null,
    code: byPhone && !/^\d{6}$/.test(sms) ? t('survey.needCode') : null,
    invitation: !byPhone && !invitation.trim() ? t('survey.needInvitation') : null,
  };
  const show = (k: keyof typeof problems) => (touched ? problems[k] : null);
  const set = (id: string, v: Value) => setAnswers((a) => ({ ...a, [id]: v }));

  const sendCode = async () => {
    setError(null);
    if (!phoneOk) return setTouched(true);
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
      const clean = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== ''));
      await call(surveysApi.respond, {
        params: { code: survey.code },
        body: byPhone
          ? { phone, smsCode: sms, region, answers: clean }
          : { invitation: invitation.trim(), region: region || undefined, answers: clean },
      });
      setDone(true);
      window.scrollTo?.(0, 0);
    } catch (err) {
      setError(errorMessage(err));
      if (err instanceof ApiError && err.code === 'WRONG_OTP') setSms('');
      setTouched(false);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <Card className="sv-done" data-testid="survey-done">
        <h2 className="sv-done-title">✓ {t('survey.thanks')}</h2>
        <p className="pp-muted">{t('survey.thanksNote')}</p>
      </Card>
    );

  return (
    <form onSubmit={submit} noValidate data-testid="survey-form">
      {byPhone && survey.regions.length > 1 && (
        <Card>
          <SelectField
            label={t('survey.yourRegion')}
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            options={[{ value: '', label: t('survey.pickRegion') }, ...survey.regions.map((r) => ({ value: r.name, label: r.name }))]}
            data-testid="survey-region"
          />
          {show('region') && <div className="pp-field-error">{show('region')}</div>}
        </Card>
      )}
      {survey.questions.map((q, i) => (
        <Card key={q.id} className="sv-q" data-testid={`survey-q-${q.id}`}>
          <QuestionField q={q} n={i + 1} value={answers[q.id]} onChange={(v) => set(q.id, v)} missing={touched && unanswered.includes(q)} />
        </Card>
      ))}
      <Card>
        {byPhone ? (
          <>
            <div className="pp-row">
              <TextField
                label={t('survey.phone')}
                value={phone}
                inputMode="numeric"
                autoComplete="tel"
                maxLength={11}
                onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
                error={show('phone')}
                data-testid="survey-phone"
              />
              <Button
                onClick={sendCode}
                loading={otp.sending}
                disabled={otp.wait > 0}
                className="sv-code-btn"
                data-testid="survey-send-code"
              >
                {otp.wait > 0 ? t('survey.resend', { s: otp.wait }) : t('survey.sendCode')}
              </Button>
            </div>
            <p className="pp-hint" data-testid={otp.sent ? 'survey-code-sent' : undefined}>
              {otp.sent ? t('survey.codeSent', { to: otp.sent.to, m: otp.sent.minutes }) : t('survey.phoneHint')}
            </p>
            <TextField
              label={t('survey.code')}
              value={sms}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              onChange={(e) => setSms(e.target.value.replace(/\D/g, ''))}
              error={show('code')}
              data-testid="survey-sms-code"
            />
          </>
        ) : (
          <TextField
            label={t('survey.invitation')}
            hint={t('survey.invitationHint')}
            value={invitation}
            autoCapitalize="characters"
            maxLength={40}
            onChange={(e) => setInvitation(e.target.value.toUpperCase())}
            error={show('invitation')}
            data-testid="survey-invitation"
          />
        )}
        {show('questions') && <div className="pp-field-error">{show('questions')}</div>}
        {error && (
          <div data-testid="survey-error">
            <ErrorText>{error}</ErrorText>
          </div>
        )}
        <Button type="submit" kind="primary" block loading={busy} data-testid="survey-submit">
          {t('survey.submit')}
        </Button>
      </Card>
    </form>
  );
}

/** The fixed 满意度 options, in English beside the Chinese (the answer stored is the Chinese). */
const SATISFACTION_EN: Record<string, string> = { 满意: 'Satisfied', 基本满意: 'Mostly satisfied', 不满意: 'Dissatisfied' };

/** One question: options as large tap targets, a scale as a row of numbers, open text as a text area. */
function QuestionField({
  q,
  n,
  value,
  onChange,
  missing,
}: {
  q: Question;
  n: number;
  value: Value | undefined;
  onChange: (v: Value) => void;
  missing: boolean;
}) {
  const t = useT(dict);
  const { en } = useLang();
  const choices: { v: Value; label: string }[] =
    q.kind === 'yes_no'
      ? [
          { v: true, label: t('survey.yes') },
          { v: false, label: t('survey.no') },
        ]
      : q.kind === 'scale'
        ? Array.from({ length: q.max ?? 5 }, (_, i) => ({ v: i + 1, label: String(i + 1) }))
        : (q.options ?? []).map((o) => ({
            v: o,
            label: en && q.kind === 'satisfaction' && SATISFACTION_EN[o] ? `${o} ${SATISFACTION_EN[o]}` : o,
          }));
  const title = en && q.textEn ? q.textEn : q.text;
  return (
    <fieldset className="sv-field">
      <legend className="sv-legend">
        <span className="sv-n">{n}.</span> {title}
        {q.required && <span className="sv-req"> *</span>}
      </legend>
      {q.kind === 'open' ? (
        <TextField
          multiline
          rows={3}
          maxLength={500}
          placeholder={t('survey.openPlaceholder')}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <div className={q.kind === 'scale' ? 'sv-scale' : 'sv-options'} role="radiogroup" aria-label={title}>
          {choices.map((c) => (
            <button
              key={String(c.v)}
              type="button"
              role="radio"
              aria-checked={value === c.v}
              className={`sv-opt${value === c.v ? ' sv-opt-on' : ''}`}
              onClick={() => onChange(c.v)}
              data-testid={`survey-opt-${q.id}-${c.label}`}
            >
              {c.label}
            </button>
          ))}
        </div>
      )}
      {q.kind === 'scale' && (
        <div className="sv-scale-ends pp-muted pp-small">
          <span>{t('survey.scaleLow')}</span>
          <span>{t('survey.scaleHigh', { n: q.max ?? 5 })}</span>
        </div>
      )}
      {missing && <div className="pp-field-error">{t('survey.needAnswer')}</div>}
    </fieldset>
  );
}
