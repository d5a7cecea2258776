/** An amount in millionths of `currency` (the API's `amountMicros`), in the browser's locale. */
export function formatMoney(amountMicros: number, currency: string): string {
  const amount = amountMicros / 1_000_000;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    // Not an ISO 4217 code (a configured unit such as "credits"): the number and the unit.
    return `${amount.toLocaleString(undefined, { maximumFractionDigits: 6 })} ${currency}`;
  }
}
