import dayjs from 'dayjs';

export const fmtTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
export const fmtDate = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD') : '—');
export const today = () => dayjs().format('YYYY-MM-DD');
export const fmtScore = (n: number | null | undefined) => (n == null ? '—' : String(Math.round(n * 100) / 100));

export function fmtSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** 'upcoming' | 'open' | 'ended' for a notice period, by the calendar date. */
export function periodState(startsOn: string, endsOn: string): 'upcoming' | 'open' | 'ended' {
  const d = today();
  if (d < startsOn) return 'upcoming';
  if (d > endsOn) return 'ended';
  return 'open';
}
