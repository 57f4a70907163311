import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { useId } from 'react';
import { Link } from 'react-router-dom';
import { useT } from './i18n';

/** The public pages' few building blocks; the look is in public.css (classes pp-*). */

type ButtonKind = 'primary' | 'default' | 'link';
export function Button({
  kind = 'default',
  block,
  loading,
  children,
  className,
  disabled,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: ButtonKind; block?: boolean; loading?: boolean }) {
  const cls = ['pp-btn', `pp-btn-${kind}`, block ? 'pp-btn-block' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button type={type} className={cls} disabled={disabled || loading} aria-busy={loading || undefined} {...rest}>
      {loading && <span className="pp-spin pp-spin-sm" aria-hidden />}
      {children}
    </button>
  );
}

/** A link styled as a button (navigation inside the public pages). */
export function ButtonLink({
  to,
  kind = 'default',
  children,
  ...rest
}: {
  to: string;
  kind?: ButtonKind;
  children: ReactNode;
  'data-testid'?: string;
}) {
  return (
    <Link to={to} className={`pp-btn pp-btn-${kind}`} {...rest}>
      {children}
    </Link>
  );
}

/** A labelled input with an optional hint and error under it. */
export function TextField({
  label,
  hint,
  error,
  multiline,
  rows = 4,
  className,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & {
  label?: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  /** a textarea instead of a one-line input */
  multiline?: boolean;
  rows?: number;
}) {
  const id = useId();
  const field = multiline ? (
    <textarea
      id={id}
      rows={rows}
      className="pp-input"
      aria-invalid={error ? true : undefined}
      {...(rest as unknown as React.TextareaHTMLAttributes<HTMLTextAreaElement>)}
    />
  ) : (
    <input id={id} className="pp-input" aria-invalid={error ? true : undefined} {...rest} />
  );
  return (
    <div className={['pp-field', className ?? ''].filter(Boolean).join(' ')}>
      {label && (
        <label htmlFor={id} className="pp-label">
          {label}
        </label>
      )}
      {field}
      {hint && !error && <div className="pp-hint">{hint}</div>}
      {error && (
        <div className="pp-field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** A labelled select with options {value, label}. */
export function SelectField({
  label,
  options,
  className,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label?: ReactNode; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className={['pp-field', className ?? ''].filter(Boolean).join(' ')}>
      {label && (
        <label htmlFor={id} className="pp-label">
          {label}
        </label>
      )}
      <select id={id} className="pp-input pp-select" {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A white panel with an optional title and action on its head line. */
export function Card({
  title,
  extra,
  children,
  className,
  ...rest
}: {
  title?: ReactNode;
  extra?: ReactNode;
  children?: ReactNode;
  className?: string;
  'data-testid'?: string;
}) {
  return (
    <section className={['pp-card', className ?? ''].filter(Boolean).join(' ')} {...rest}>
      {(title || extra) && (
        <header className="pp-card-head">
          {title && <h2 className="pp-card-title">{title}</h2>}
          {extra && <div className="pp-card-extra">{extra}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

/** A title's public status (有效 / 黄牌警告 / 已撤销 / 已到期). */
export type TitleStatus = 'valid' | 'yellow' | 'revoked' | 'expired';
export function StatusBadge({ status, size = 'md', testId }: { status: TitleStatus; size?: 'md' | 'lg'; testId?: string }) {
  const t = useT();
  return (
    <span className={`pp-badge pp-badge-${status} pp-badge-${size}`} data-testid={testId} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

/** A small coloured label for any other state (open, ended, withdrawn…). */
export function Badge({ tone = 'grey', children }: { tone?: 'green' | 'gold' | 'red' | 'grey' | 'blue'; children: ReactNode }) {
  return <span className={`pp-tag pp-tag-${tone}`}>{children}</span>;
}

/** Stars as ★★★☆☆ (out of `max`), read out as "3 stars". */
export function Stars({ value, max = 5 }: { value: number; max?: number }) {
  const t = useT();
  const n = Math.max(0, Math.min(max, Math.round(value)));
  return (
    <span className="pp-stars" aria-label={t('stars.count', { n })} title={t('stars.count', { n })}>
      {'★'.repeat(n)}
      <span className="pp-stars-off">{'★'.repeat(max - n)}</span>
    </span>
  );
}

/** Previous / next paging over `total` items: `offset` and `limit` as the contract's Page. */
export function Pager({
  total,
  offset,
  limit,
  onChange,
}: {
  total: number;
  offset: number;
  limit: number;
  onChange: (offset: number) => void;
}) {
  const t = useT();
  if (total <= limit && offset === 0) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="pp-pager" aria-label={t('pager.label')} data-testid="pager">
      <Button disabled={offset <= 0} onClick={() => onChange(Math.max(0, offset - limit))} data-testid="pager-prev">
        {t('pager.prev')}
      </Button>
      <span className="pp-pager-info">{t('pager.info', { page, pages, total })}</span>
      <Button disabled={offset + limit >= total} onClick={() => onChange(offset + limit)} data-testid="pager-next">
        {t('pager.next')}
      </Button>
    </nav>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="pp-loading" role="status" aria-live="polite">
      <span className="pp-spin" aria-hidden />
      {label ?? t('loading')}
    </div>
  );
}

/** An error line (e.g. the server's Chinese message), with a retry when given. */
export function ErrorText({ children, onRetry }: { children: ReactNode; onRetry?: () => void }) {
  const t = useT();
  if (!children) return null;
  return (
    <div className="pp-error" role="alert" data-testid="error-text">
      <span>{children}</span>
      {onRetry && (
        <Button kind="link" onClick={onRetry}>
          {t('retry')}
        </Button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const t = useT();
  return <div className="pp-empty">{children ?? t('empty')}</div>;
}

/** A definition list: label → value rows that stack on a phone. */
export function Fields({ rows }: { rows: ([ReactNode, ReactNode] | false | null | undefined)[] }) {
  return (
    <dl className="pp-fields">
      {rows.filter(Boolean).map((r, i) => {
        const [k, v] = r as [ReactNode, ReactNode];
        return (
          <div key={i} className="pp-fields-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/** The page's heading with an optional line under it. */
export function PageTitle({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  return (
    <div className="pp-page-title">
      <h1>{children}</h1>
      {sub && <p className="pp-muted">{sub}</p>}
    </div>
  );
}
