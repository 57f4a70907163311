/** The public pages' kit: import everything from here. See ../README.md. */
export { Layout, NotFound } from './Layout';
export {
  Button,
  ButtonLink,
  TextField,
  SelectField,
  Card,
  StatusBadge,
  Badge,
  Stars,
  Pager,
  Loading,
  ErrorText,
  Empty,
  Fields,
  PageTitle,
} from './ui';
export type { TitleStatus } from './ui';
export { call, urlOf, useApi, errorMessage, ApiError, withQuery } from './api';
export type { ApiState, Query } from './api';
export { useT, useLang, defineDict, LangProvider, activeLang, format } from './i18n';
export type { Dict, Lang, Params, CommonKey } from './i18n';
export { useSmsCode } from './smsCode';
export type { CodeSent } from './smsCode';
