/** The calendar day in China (Asia/Shanghai) of a moment: what a form prints as its date. */
const FMT = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function clockDay(d: Date | string): string {
  return FMT.format(typeof d === 'string' ? new Date(d) : d);
}
