import { useCallback, useEffect, useMemo, useState } from 'react';
import { jsonEqual, type StandardDoc } from '@pingan/core';
import type { StandardVersion } from '../../../api/types';
import { useT } from '../../../locales';
import { validate, type FieldError, type Validation } from './validation';

export type Mode = 'form' | 'json';

function parseJson(text: string): { value: unknown; error: string | null } {
  try {
    return { value: JSON.parse(text) as unknown, error: null };
  } catch (e) {
    return { value: undefined, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The working copy of a new version: the form's draft or the JSON text, the note, and the core
 * parser's verdict on whichever is being edited, recomputed on every edit.
 */
export function useEditor(base: StandardVersion | undefined) {
  const t = useT();
  const [draft, setDraft] = useState<StandardDoc | null>(null);
  const [mode, setModeState] = useState<Mode>('form');
  const [jsonText, setJsonText] = useState('');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!base) return;
    setDraft(base.doc);
    setModeState('form');
    setJsonText('');
    setNote('');
    setSaved(false);
  }, [base]);

  const json = useMemo(() => (mode === 'json' ? parseJson(jsonText) : { value: undefined, error: null }), [mode, jsonText]);
  const input: unknown = mode === 'form' ? draft : json.value;

  const validation: Validation = useMemo(() => {
    if (json.error !== null) {
      const err: FieldError = { path: '(json)', where: '', message: t('editor.jsonSyntax', { msg: json.error }) };
      return { ok: false, doc: null, errors: [err] };
    }
    return validate(input, t);
  }, [input, json.error, t]);

  const changed = !!base && (json.error !== null || !jsonEqual(input, base.doc));
  const dirty = !saved && (changed || note.trim() !== '');

  const update = useCallback((fn: (d: StandardDoc) => StandardDoc) => setDraft((d) => (d ? fn(d) : d)), []);

  /** JSON → form only when the text is a valid standard; returns whether the switch happened. */
  const setMode = (m: Mode): boolean => {
    if (m === mode) return true;
    if (m === 'json') {
      // the parser's output lists the fields in the format's order, easier to read than storage order
      setJsonText(JSON.stringify(validation.ok ? validation.doc : draft, null, 2));
      setModeState('json');
      return true;
    }
    if (!validation.ok) return false;
    setDraft(validation.doc);
    setModeState('form');
    return true;
  };

  /** the sum of the points as typed, even while the draft is invalid */
  const total = useMemo(() => {
    if (validation.ok) return validation.doc.groups.reduce((s, g) => s + g.criteria.reduce((x, c) => x + c.points, 0), 0);
    if (mode === 'form' && draft) return draft.groups.reduce((s, g) => s + g.criteria.reduce((x, c) => x + (Number.isFinite(c.points) ? c.points : 0), 0), 0);
    return null;
  }, [validation, mode, draft]);

  return { draft, update, mode, setMode, jsonText, setJsonText, note, setNote, validation, dirty, changed, total, markSaved: () => setSaved(true) };
}
