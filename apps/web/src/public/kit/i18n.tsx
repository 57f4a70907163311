import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import common from '../locales/common';

/**
 * The public pages' languages: zh-CN first, English beside. Strings live in per-area dictionaries
 * (apps/web/src/public/locales/<area>.ts, made with `defineDict`); a page asks for its area's `t`
 * with `useT(area)`, which also knows the common strings.
 */
export type Lang = 'zh-CN' | 'en-US';
export type Params = Record<string, string | number>;

/** One area's strings: both languages must carry the same keys (the compiler checks). */
export interface Dict<K extends string> {
  zh: Record<K, string>;
  en: Record<K, string>;
}
export function defineDict<K extends string>(d: { zh: Record<K, string>; en: Record<NoInfer<K>, string> }): Dict<K> {
  return d;
}

const STORAGE_KEY = 'pingan.public.lang';

function initialLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh-CN' || v === 'en-US') return v;
  } catch {
    /* storage blocked: stay in Chinese */
  }
  return 'zh-CN';
}

let currentLang: Lang = initialLang();
/** The language now on screen, for code outside React (error messages of `call`). */
export function activeLang(): Lang {
  return currentLang;
}

export function format(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

interface LangState {
  lang: Lang;
  setLang: (l: Lang) => void;
}
const LangContext = createContext<LangState>({ lang: 'zh-CN', setLang: () => undefined });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((l: Lang) => {
    currentLang = l;
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* not kept: fine */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

/** The language, its setter, and `pick` for a {zh, en} label (e.g. from @pingan/core). */
export function useLang() {
  const { lang, setLang } = useContext(LangContext);
  const pick = useCallback(
    (label: { zh: string; en: string } | undefined) => (label ? (lang === 'en-US' ? label.en : label.zh) : ''),
    [lang],
  );
  return { lang, setLang, pick, en: lang === 'en-US' };
}

export type CommonKey = keyof typeof common.zh;

/**
 * `t(key, params)` for an area: the area's strings first, then the common ones; `{name}` in a
 * string is replaced from params. Without an area, only the common strings.
 */
export function useT<K extends string = never>(area?: Dict<K>): (key: K | CommonKey, params?: Params) => string {
  const { lang } = useContext(LangContext);
  return useCallback(
    (key: K | CommonKey, params?: Params) => {
      const side = lang === 'en-US' ? 'en' : 'zh';
      const a = area?.[side] as Record<string, string> | undefined;
      const c = common[side] as Record<string, string>;
      return format(a?.[key] ?? c[key] ?? key, params);
    },
    [lang, area],
  );
}

/** The common strings outside React (the language now on screen). */
export function tCommon(key: CommonKey, params?: Params): string {
  return format(common[currentLang === 'en-US' ? 'en' : 'zh'][key], params);
}
