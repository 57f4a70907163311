/** Today in China (Asia/Shanghai), as the server counts notice dates. */
export function shanghaiToday(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
