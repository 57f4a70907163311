import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import zhCN, { type MessageKey } from './zh-CN';
import enUS from './en-US';

export type Lang = 'zh-CN' | 'en-US';
export type { MessageKey };
export type Params = Record<string, string | number>;

const DICTS: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS };
const STORAGE_KEY = 'pingan.lang';

function format(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MessageKey, params?: Params) => string;
  /** picks zh or en from a @pingan/core label */
  pick: (label: { zh: string; en: string } | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

let activeLang: Lang = 'zh-CN';

/** For code outside React (the fetch client): the string in the language chosen now. */
export function translate(key: MessageKey, params?: Params): string {
  return format(DICTS[activeLang][key] ?? zhCN[key], params);
}

function initialLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en-US' || v === 'zh-CN') return v;
  } catch {
    /* storage unavailable: default */
  }
  return 'zh-CN';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  activeLang = lang;
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
    document.title = DICTS[lang]['app.name'];
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const dict = DICTS[lang];
    return {
      lang,
      setLang,
      t: (key, params) => format(dict[key] ?? zhCN[key], params),
      pick: (label) => (label ? (lang === 'zh-CN' ? label.zh : label.en) : ''),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** The `t()` hook. */
export function useT() {
  return useI18n().t;
}
