/**
 * The price rules of metering (PRODUCT.md section 7): each successful image scan (per platform) is
 * one unit; within a calendar month (UTC) the first `freeMonthlyScans` units are free, units up to
 * and including number `discountFromMonthlyScans` cost `unitPriceMicros`, and every unit after that
 * costs `discountedUnitPriceMicros`. Billing and the estimate before a task both use these functions,
 * so an estimate and the bill that follows agree to the micro-unit.
 *
 * Money is integer millionths of the currency ("micros"), never floating point.
 */

export const pricingErrorCodes = [
  'invalid_price_list',
  'invalid_count',
  'invalid_currency',
  'out_of_range',
] as const;
export type PricingErrorCode = (typeof pricingErrorCodes)[number];

export class PricingError extends Error {
  readonly code: PricingErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: PricingErrorCode, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'PricingError';
    this.code = code;
    this.details = details;
  }
}

export interface PriceList {
  /** ISO 4217 code, such as `USD`. */
  readonly currency: string;
  /** Price of one scan, in millionths of the currency. */
  readonly unitPriceMicros: number;
  /** Scans per project and month that cost nothing (default 10). */
  readonly freeMonthlyScans: number;
  /** Scans numbered above this in a month cost `discountedUnitPriceMicros` (default 10,000). */
  readonly discountFromMonthlyScans: number;
  readonly discountedUnitPriceMicros: number;
}

export const defaultPriceList: PriceList = Object.freeze({
  currency: 'USD',
  unitPriceMicros: 20_000,
  freeMonthlyScans: 10,
  discountFromMonthlyScans: 10_000,
  discountedUnitPriceMicros: 10_000,
});

export interface ScansPrice {
  /** Units priced (the `count` asked about). */
  readonly units: number;
  /** How many of them fall in the free quota. */
  readonly freeUnits: number;
  readonly amountMicros: number;
}

export interface ScanNumberPrice {
  readonly free: boolean;
  readonly priceMicros: number;
}

const currencyPattern = /^[A-Z]{3}$/;
const microsPerUnit = 1_000_000n;

/** Throws `invalid_price_list` unless every count and price is a non-negative safe integer. */
export function validatePriceList(list: PriceList): PriceList {
  if (typeof list.currency !== 'string' || !currencyPattern.test(list.currency)) {
    throw new PricingError('invalid_price_list', 'the currency must be a three-letter ISO 4217 code', {
      field: 'currency',
    });
  }
  const fields = [
    'unitPriceMicros',
    'freeMonthlyScans',
    'discountFromMonthlyScans',
    'discountedUnitPriceMicros',
  ] as const;
  for (const field of fields) {
    if (!isCount(list[field])) {
      throw new PricingError('invalid_price_list', `${field} must be a non-negative whole number`, { field });
    }
  }
  return list;
}

/**
 * The price of the next `count` scans of a month in which `alreadyThisMonth` scans were billed:
 * scans number `alreadyThisMonth + 1` to `alreadyThisMonth + count`.
 */
export function priceOfNextScans(list: PriceList, alreadyThisMonth: number, count: number): ScansPrice {
  validatePriceList(list);
  requireCount(alreadyThisMonth, 'alreadyThisMonth');
  requireCount(count, 'count');
  if (!Number.isSafeInteger(alreadyThisMonth + count + 1)) {
    throw new PricingError('out_of_range', 'the scan numbers are too large to count exactly');
  }
  const first = alreadyThisMonth + 1;
  const last = alreadyThisMonth + count;
  const freeUnits = overlap(first, last, 1, list.freeMonthlyScans);
  // When the free quota reaches past the discount threshold, the full-price tier is empty.
  const fullPriceUnits = overlap(first, last, list.freeMonthlyScans + 1, list.discountFromMonthlyScans);
  const discountedUnits = count - freeUnits - fullPriceUnits;
  const amount =
    BigInt(fullPriceUnits) * BigInt(list.unitPriceMicros) +
    BigInt(discountedUnits) * BigInt(list.discountedUnitPriceMicros);
  return { units: count, freeUnits, amountMicros: toSafeNumber(amount) };
}

/** The price of the scan with 1-based number `ordinalThisMonth` in its month. */
export function priceOfScanNumber(list: PriceList, ordinalThisMonth: number): ScanNumberPrice {
  validatePriceList(list);
  if (!isCount(ordinalThisMonth) || ordinalThisMonth < 1) {
    throw new PricingError('invalid_count', 'ordinalThisMonth must be a whole number from 1', {
      field: 'ordinalThisMonth',
    });
  }
  if (ordinalThisMonth <= list.freeMonthlyScans) return { free: true, priceMicros: 0 };
  if (ordinalThisMonth > list.discountFromMonthlyScans)
    return { free: false, priceMicros: list.discountedUnitPriceMicros };
  return { free: false, priceMicros: list.unitPriceMicros };
}

/** The metering month of an instant: `YYYY-MM` in UTC, so every service instance agrees. */
export function monthOf(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new PricingError('out_of_range', 'the instant is not a valid date');
  }
  return at.toISOString().slice(0, 7);
}

/**
 * `micros` as a decimal amount and currency code (`0.02 USD`, `1.234567 USD`, `100 JPY`): at least
 * the currency's usual minor digits, more only when the amount has them; exact for any safe integer.
 */
export function formatMoney(micros: number, currency: string): string {
  if (typeof currency !== 'string' || !currencyPattern.test(currency)) {
    throw new PricingError('invalid_currency', 'the currency must be a three-letter ISO 4217 code');
  }
  if (!Number.isSafeInteger(micros))
    throw new PricingError('out_of_range', 'the amount must be a whole number of micros');
  const magnitude = BigInt(Math.abs(micros));
  const whole = magnitude / microsPerUnit;
  const fraction = (magnitude % microsPerUnit).toString().padStart(6, '0');
  const minorDigits = Math.min(6, currencyMinorDigits(currency));
  let digits = fraction.replace(/0+$/, '');
  if (digits.length < minorDigits) digits = fraction.slice(0, minorDigits);
  const sign = micros < 0 ? '-' : '';
  return `${sign}${whole}${digits ? `.${digits}` : ''} ${currency}`;
}

/** The currency's usual number of decimals from the runtime's ICU data (USD 2, JPY 0, BHD 3). */
function currencyMinorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().minimumFractionDigits ?? 2
  );
}

/** How many of the whole numbers `first..last` lie in `low..high` (inclusive ranges, maybe empty). */
function overlap(first: number, last: number, low: number, high: number): number {
  return Math.max(0, Math.min(last, high) - Math.max(first, low) + 1);
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function requireCount(value: number, field: string): void {
  if (!isCount(value))
    throw new PricingError('invalid_count', `${field} must be a non-negative whole number`, { field });
}

function toSafeNumber(amount: bigint): number {
  const value = Number(amount);
  if (!Number.isSafeInteger(value))
    throw new PricingError('out_of_range', 'the amount is too large to represent exactly');
  return value;
}
