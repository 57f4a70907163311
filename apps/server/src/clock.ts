/**
 * The platform's calendar day, in China's time zone. Deadlines, notice periods and conferral all
 * read it here. CLOCK_OFFSET_DAYS moves it for a rehearsal (演练) or a browser test that must see a
 * notice period end; it is 0 in every real deployment.
 */
let offsetDays = 0;

export function setClockOffsetDays(days: number): void {
  offsetDays = days;
}

/** Today as YYYY-MM-DD in Asia/Shanghai. */
export function today(): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
