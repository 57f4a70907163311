import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { objectionsApi } from '@pingan/contract';
import { Button, ErrorText, TextField, call, errorMessage, useSmsCode, useT } from '../../kit';
import dict from '../../locales/objections';

const MAX_FILES = 5;
const MAX_MB = 10;
const OK_FILE = /\.(pdf|jpe?g|png)$/i;

interface Filed {
  receipt: string;
  uploaded: number;
  failed: { name: string; msg: string }[];
}

/**
 * 提出异议: by name (the phone confirmed by an SMS code) or anonymously; the text; up to five
 * evidence files, sent after the objection with the upload token the filing answered.
 */
export default function ObjectionForm({ code, name, onFiled }: { code: string; name: string; onFiled: () => void }) {
  const t = useT(dict);
  const [anonymous, setAnonymous] = useState(false);
  const [person, setPerson] = useState('');
  const [phone, setPhone] = useState('');
  const [sms, setSms] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const otp = useSmsCode('objection');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [filed, setFiled] = useState<Filed | null>(null);

  const phoneOk = /^1[3-9]\d{9}$/.test(phone.trim());
  const problems = {
    name: !anonymous && !person.trim() ? t('form.need.name') : null,
    phone: !anonymous && !phoneOk ? t('form.need.phone') : null,
    code: !anonymous && !/^\d{6}$/.test(sms.trim()) ? t('form.need.code') : null,
    text: text.trim().length < 5 ? t('form.need.text') : null,
  };
  const show = (k: keyof typeof problems) => (touched ? problems[k] : null);

  const sendCode = async () => {
    setError(null);
    if (!phoneOk) {
      setTouched(true);
      return;
    }
    try {
      await otp.send(phone.trim());
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const pickFiles = (list: FileList | null) => {
    setFileError(null);
    const chosen = [...(list ?? [])];
    if (chosen.length > MAX_FILES) return setFileError(t('form.tooManyFiles', { n: MAX_FILES }));
    const bad = chosen.find((f) => !OK_FILE.test(f.name));
    if (bad) return setFileError(t('form.badFile', { name: bad.name }));
    const big = chosen.find((f) => f.size > MAX_MB * 1024 * 1024);
    if (big) return setFileError(t('form.bigFile', { name: big.name, mb: MAX_MB }));
    setFiles(chosen);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setError(null);
    if (Object.values(problems).some(Boolean) || fileError) return;
    setBusy(true);
    try {
      const r = await call(objectionsApi.file, {
        params: { code },
        body: anonymous
          ? { anonymous: true, text: text.trim() }
          : { anonymous: false, name: person.trim(), phone: phone.trim(), code: sms.trim(), text: text.trim() },
      });
      const done: Filed = { receipt: r.receipt, uploaded: 0, failed: [] };
      for (const f of files.slice(0, r.maxFiles)) {
        const fd = new FormData();
        fd.append('token', r.uploadToken);
        fd.append('file', f, f.name);
        try {
          await call(objectionsApi.uploadFile, { params: { receipt: r.receipt } }, fd);
          done.uploaded++;
        } catch (err) {
          done.failed.push({ name: f.name, msg: errorMessage(err) });
        }
      }
      setFiled(done);
      onFiled();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (filed) return <Done filed={filed} />;

  return (
    <form className="ob-form" onSubmit={submit} noValidate data-testid="objection-form">
      <h3 className="ob-form-title">{t('form.title', { name })}</h3>
      <div className="ob-seg" role="radiogroup" aria-label={t('form.mode')}>
        {([false, true] as const).map((a) => (
          <button
            key={String(a)}
            type="button"
            role="radio"
            aria-checked={anonymous === a}
            className={anonymous === a ? 'ob-seg-on' : undefined}
            onClick={() => setAnonymous(a)}
            data-testid={a ? 'mode-anonymous' : 'mode-named'}
          >
            {t(a ? 'form.anonymous' : 'form.named')}
          </button>
        ))}
      </div>
      <p className="pp-hint ob-mode-hint">{t(anonymous ? 'form.anonymousHint' : 'form.namedHint')}</p>
      {!anonymous && (
        <>
          <TextField
            label={t('form.name')}
            value={person}
            maxLength={30}
            autoComplete="name"
            onChange={(e) => setPerson(e.target.value)}
            error={show('name')}
            data-testid="objector-name"
          />
          <div className="pp-row ob-phone-row">
            <TextField
              label={t('form.phone')}
              value={phone}
              inputMode="numeric"
              autoComplete="tel"
              maxLength={11}
              onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
              error={show('phone')}
              data-testid="objector-phone"
            />
            <Button onClick={sendCode} loading={otp.sending} disabled={otp.wait > 0} className="ob-code-btn" data-testid="send-code">
              {otp.wait > 0 ? t('form.resend', { s: otp.wait }) : t('form.sendCode')}
            </Button>
          </div>
          {otp.sent && (
            <p className="pp-hint ob-sent" data-testid="code-sent">
              {t('form.codeSent', { to: otp.sent.to, m: otp.sent.minutes })}
            </p>
          )}
          <TextField
            label={t('form.code')}
            value={sms}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            onChange={(e) => setSms(e.target.value.replace(/\D/g, ''))}
            error={show('code')}
            data-testid="sms-code"
          />
        </>
      )}
      <TextField
        label={t('form.text')}
        multiline
        rows={5}
        value={text}
        maxLength={2000}
        onChange={(e) => setText(e.target.value)}
        hint={`${t('form.textHint')} · ${t('form.textCount', { n: text.length })}`}
        error={show('text')}
        data-testid="objection-text"
      />
      <div className="pp-field">
        <label className="pp-label" htmlFor={`files-${code}`}>
          {t('form.files')}
        </label>
        <input
          id={`files-${code}`}
          className="ob-file"
          type="file"
          multiple
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          onChange={(e) => pickFiles(e.target.files)}
          data-testid="objection-files"
        />
        {fileError ? (
          <div className="pp-field-error" role="alert">
            {fileError}
          </div>
        ) : (
          <div className="pp-hint">{t('form.filesHint', { n: MAX_FILES, mb: MAX_MB })}</div>
        )}
      </div>
      {error && <ErrorText>{error}</ErrorText>}
      <Button type="submit" kind="primary" block loading={busy} data-testid="objection-submit">
        {t('form.submit')}
      </Button>
    </form>
  );
}

/** The receipt, to keep: the only way to follow the objection. */
function Done({ filed }: { filed: Filed }) {
  const t = useT(dict);
  const [copied, setCopied] = useState(false);
  return (
    <div className="ob-done" role="status" data-testid="objection-done">
      <h3 className="ob-form-title">✓ {t('done.title')}</h3>
      <div className="ob-receipt">
        <span className="pp-muted pp-small">{t('done.receipt')}</span>
        <code className="ob-receipt-code" data-testid="objection-receipt">
          {filed.receipt}
        </code>
        <Button
          kind="link"
          onClick={() => {
            void navigator.clipboard?.writeText(filed.receipt).then(() => setCopied(true));
          }}
        >
          {copied ? t('done.copied') : t('done.copy')}
        </Button>
      </div>
      <p className="pp-small">{t('done.keep')}</p>
      {filed.uploaded > 0 && <p className="pp-small">{t('done.files', { n: filed.uploaded })}</p>}
      {filed.failed.map((f) => (
        <ErrorText key={f.name}>{t('done.fileFailed', { name: f.name, msg: f.msg })}</ErrorText>
      ))}
      <Link className="pp-btn pp-btn-primary pp-btn-block" to={`/public/objections/${filed.receipt}`} data-testid="objection-follow">
        {t('done.view')}
      </Link>
    </div>
  );
}
