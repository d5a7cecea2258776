import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  defaultPriceList,
  formatMoney,
  monthOf,
  priceOfNextScans,
  priceOfScanNumber,
  PricingError,
  validatePriceList,
  type PriceList,
  type PricingErrorCode,
} from './pricing.ts';

const isPricingError =
  (code: PricingErrorCode) =>
  (error: unknown): boolean =>
    error instanceof PricingError && error.code === code;

describe('defaultPriceList', () => {
  it('is 0.02 USD a scan, 10 free a month, 0.01 USD above 10,000', () => {
    assert.deepEqual(defaultPriceList, {
      currency: 'USD',
      unitPriceMicros: 20_000,
      freeMonthlyScans: 10,
      discountFromMonthlyScans: 10_000,
      discountedUnitPriceMicros: 10_000,
    });
    assert.equal(validatePriceList(defaultPriceList), defaultPriceList);
  });
});

describe('priceOfScanNumber', () => {
  it('is free up to the quota, full price up to and including the threshold, discounted after', () => {
    const price = (ordinal: number) => priceOfScanNumber(defaultPriceList, ordinal);
    assert.deepEqual(price(1), { free: true, priceMicros: 0 });
    assert.deepEqual(price(10), { free: true, priceMicros: 0 });
    assert.deepEqual(price(11), { free: false, priceMicros: 20_000 });
    assert.deepEqual(price(10_000), { free: false, priceMicros: 20_000 });
    assert.deepEqual(price(10_001), { free: false, priceMicros: 10_000 });
  });
  it('refuses ordinals below 1 and fractions', () => {
    for (const ordinal of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => priceOfScanNumber(defaultPriceList, ordinal), isPricingError('invalid_count'));
    }
  });
});

describe('priceOfNextScans', () => {
  it('prices a fresh month across the free quota', () => {
    assert.deepEqual(priceOfNextScans(defaultPriceList, 0, 0), { units: 0, freeUnits: 0, amountMicros: 0 });
    assert.deepEqual(priceOfNextScans(defaultPriceList, 0, 10), {
      units: 10,
      freeUnits: 10,
      amountMicros: 0,
    });
    assert.deepEqual(priceOfNextScans(defaultPriceList, 0, 11), {
      units: 11,
      freeUnits: 10,
      amountMicros: 20_000,
    });
    assert.deepEqual(priceOfNextScans(defaultPriceList, 9, 3), {
      units: 3,
      freeUnits: 1,
      amountMicros: 40_000,
    });
  });
  it('switches to the discounted price after the threshold', () => {
    assert.deepEqual(priceOfNextScans(defaultPriceList, 9_998, 2), {
      units: 2,
      freeUnits: 0,
      amountMicros: 40_000,
    });
    assert.deepEqual(priceOfNextScans(defaultPriceList, 9_999, 2), {
      units: 2,
      freeUnits: 0,
      amountMicros: 30_000,
    });
    assert.deepEqual(priceOfNextScans(defaultPriceList, 10_000, 2), {
      units: 2,
      freeUnits: 0,
      amountMicros: 20_000,
    });
    // A whole month of 20,000 scans: 10 free, 9,990 at 0.02, 10,000 at 0.01.
    assert.deepEqual(priceOfNextScans(defaultPriceList, 0, 20_000), {
      units: 20_000,
      freeUnits: 10,
      amountMicros: 9_990 * 20_000 + 10_000 * 10_000,
    });
  });
  it('lets a free quota beyond the threshold skip the full-price tier', () => {
    const list: PriceList = { ...defaultPriceList, freeMonthlyScans: 5, discountFromMonthlyScans: 3 };
    assert.deepEqual(priceOfNextScans(list, 0, 7), { units: 7, freeUnits: 5, amountMicros: 2 * 10_000 });
    assert.deepEqual(priceOfScanNumber(list, 6), { free: false, priceMicros: 10_000 });
  });
  it('refuses negative or fractional counts and bad price lists', () => {
    assert.throws(() => priceOfNextScans(defaultPriceList, -1, 1), isPricingError('invalid_count'));
    assert.throws(() => priceOfNextScans(defaultPriceList, 0, 0.5), isPricingError('invalid_count'));
    assert.throws(
      () => priceOfNextScans(defaultPriceList, Number.MAX_SAFE_INTEGER - 1, 5),
      isPricingError('out_of_range'),
    );
    assert.throws(
      () => priceOfNextScans({ ...defaultPriceList, unitPriceMicros: 0.5 }, 0, 1),
      isPricingError('invalid_price_list'),
    );
    assert.throws(
      () => priceOfNextScans({ ...defaultPriceList, currency: 'usd' }, 0, 1),
      isPricingError('invalid_price_list'),
    );
    assert.throws(
      () =>
        priceOfNextScans({ ...defaultPriceList, freeMonthlyScans: 0, unitPriceMicros: 2 ** 40 }, 0, 2 ** 20),
      isPricingError('out_of_range'),
    );
  });
});

describe('properties', () => {
  const priceList = fc.record({
    currency: fc.constant('EUR'),
    unitPriceMicros: fc.integer({ min: 0, max: 5_000_000 }),
    freeMonthlyScans: fc.integer({ min: 0, max: 60 }),
    discountFromMonthlyScans: fc.integer({ min: 0, max: 300 }),
    discountedUnitPriceMicros: fc.integer({ min: 0, max: 5_000_000 }),
  });
  const count = fc.integer({ min: 0, max: 400 });

  it('the price of a run of scans is the sum of the prices of its scan numbers', () => {
    fc.assert(
      fc.property(priceList, count, count, (list, already, units) => {
        let amount = 0;
        let free = 0;
        for (let ordinal = already + 1; ordinal <= already + units; ordinal++) {
          const price = priceOfScanNumber(list, ordinal);
          amount += price.priceMicros;
          if (price.free) free++;
          assert.equal(price.free, price.priceMicros === 0 && ordinal <= list.freeMonthlyScans);
        }
        assert.deepEqual(priceOfNextScans(list, already, units), {
          units,
          freeUnits: free,
          amountMicros: amount,
        });
      }),
    );
  });
  it('pricing in two steps costs the same as in one', () => {
    fc.assert(
      fc.property(priceList, count, count, count, (list, already, first, second) => {
        const a = priceOfNextScans(list, already, first);
        const b = priceOfNextScans(list, already + first, second);
        const both = priceOfNextScans(list, already, first + second);
        assert.equal(a.amountMicros + b.amountMicros, both.amountMicros);
        assert.equal(a.freeUnits + b.freeUnits, both.freeUnits);
      }),
    );
  });
  it('formatMoney reads back as the exact number of micros', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.constantFrom('USD', 'EUR', 'JPY', 'BHD'),
        (micros, currency) => {
          const [amount = '', code] = formatMoney(micros, currency).split(' ');
          assert.equal(code, currency);
          const [whole = '', fraction = ''] = amount.replace('-', '').split('.');
          const parsed = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
          assert.equal(amount.startsWith('-') ? -parsed : parsed, BigInt(micros));
        },
      ),
    );
  });
});

describe('monthOf', () => {
  it('is the UTC month', () => {
    assert.equal(monthOf(new Date('2026-01-31T23:59:59.999Z')), '2026-01');
    assert.equal(monthOf(new Date('2026-02-01T00:00:00Z')), '2026-02');
    // Already February in UTC although still January in Los Angeles.
    assert.equal(monthOf(new Date('2026-01-31T20:00:00-08:00')), '2026-02');
    assert.throws(() => monthOf(new Date(Number.NaN)), isPricingError('out_of_range'));
  });
});

describe('formatMoney', () => {
  it('writes the currency minor digits, more only when needed, without float errors', () => {
    assert.equal(formatMoney(20_000, 'USD'), '0.02 USD');
    assert.equal(formatMoney(0, 'USD'), '0.00 USD');
    assert.equal(formatMoney(1_500_000, 'USD'), '1.50 USD');
    assert.equal(formatMoney(300_000, 'USD'), '0.30 USD'); // 0.1 + 0.2 in floats is 0.30000000000000004
    assert.equal(formatMoney(1_234_567, 'EUR'), '1.234567 EUR');
    assert.equal(formatMoney(-10_000, 'USD'), '-0.01 USD');
    assert.equal(formatMoney(100_000_000, 'JPY'), '100 JPY');
    assert.equal(formatMoney(1_500_000, 'JPY'), '1.5 JPY');
    assert.equal(formatMoney(1_000_000, 'BHD'), '1.000 BHD');
    assert.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'USD'), '9007199254.740991 USD');
  });
  it('refuses malformed currencies and non-integer amounts', () => {
    assert.throws(() => formatMoney(1, 'dollars'), isPricingError('invalid_currency'));
    assert.throws(() => formatMoney(0.5, 'USD'), isPricingError('out_of_range'));
  });
});
