import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, TextField, useT } from '../../kit';
import dict from '../../locales/honour';

/** A certificate number in, the title's page (/t/…) out. Used on /verify and on the home page. */
export default function VerifyBox({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const t = useT(dict);
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  const [empty, setEmpty] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim().toUpperCase();
    if (!v) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    navigate(`/t/${encodeURIComponent(v)}`);
  };
  return (
    <form className="pp-row pp-verify-box" onSubmit={submit} noValidate>
      <TextField
        label={t('verify.label')}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={t('verify.placeholder')}
        maxLength={60}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        autoFocus={autoFocus}
        hint={t('verify.hint')}
        error={empty ? t('verify.required') : undefined}
        data-testid="verify-input"
      />
      <Button kind="primary" type="submit" data-testid="verify-submit">
        {t('verify.submit')}
      </Button>
    </form>
  );
}
