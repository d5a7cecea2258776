import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, UsageSource } from '../store/schema.ts';
import { monthOf, priceOfNextScans, priceOfScanNumber, type PriceList } from './pricing.ts';

export interface BillableScan {
  /** Idempotency key: the same key is billed once, however often a job is retried or duplicated. */
  readonly key: string;
  readonly projectId: string;
  readonly source: UsageSource;
  readonly taskId: string | null;
  readonly imageId: string | null;
  readonly platform: string;
  readonly at: Date;
}

export interface MonthlyUsage {
  readonly projectId: string;
  readonly month: string;
  readonly repositoryScans: number;
  readonly ciScans: number;
  readonly freeQuota: number;
  readonly freeUsed: number;
  readonly billedScans: number;
  readonly amountMicros: number;
  readonly currency: string;
}

/**
 * Metering (PRODUCT.md section 7): one unit per successful image scan (per platform). The unit's
 * price depends on how many scans the project already had this month (free quota, then the unit
 * price, then the discounted price), so billing takes a per-project lock for the count and insert.
 */
export class Meter {
  readonly prices: PriceList;

  constructor(prices: PriceList) {
    this.prices = prices;
  }

  /** Bills one successful scan inside the caller's transaction; false when the key was billed before. */
  async bill(trx: Transaction<Database>, scan: BillableScan): Promise<boolean> {
    await sql`select pg_advisory_xact_lock(hashtext(${`billing:${scan.projectId}`}))`.execute(trx);
    const already = await trx
      .selectFrom('billingEvent')
      .select('key')
      .where('key', '=', scan.key)
      .executeTakeFirst();
    if (already) return false;
    const month = monthOf(scan.at);
    const ordinal = (await this.#scansInMonth(trx, scan.projectId, month)) + 1;
    const price = priceOfScanNumber(this.prices, ordinal);
    await trx
      .insertInto('billingEvent')
      .values({
        key: scan.key,
        projectId: scan.projectId,
        source: scan.source,
        taskId: scan.taskId,
        imageId: scan.imageId,
        platform: scan.platform,
        month,
        free: price.free,
        priceMicros: price.priceMicros,
        currency: this.prices.currency,
        billedAt: scan.at,
      })
      .execute();
    return true;
  }

  /** What `units` more scans would cost this month, by the same rules as billing. */
  async estimate(db: Kysely<Database>, projectId: string, units: number, at: Date) {
    const already = await this.#scansInMonth(db, projectId, monthOf(at));
    return {
      ...priceOfNextScans(this.prices, already, units),
      currency: this.prices.currency,
      alreadyThisMonth: already,
    };
  }

  async usage(db: Kysely<Database>, projectId: string, month: string): Promise<MonthlyUsage> {
    const rows = await db
      .selectFrom('billingEvent')
      .select((eb) => [
        'source',
        'free',
        eb.fn.countAll<number>().as('scans'),
        eb.fn.sum<number>('priceMicros').as('micros'),
      ])
      .where('projectId', '=', projectId)
      .where('month', '=', month)
      .groupBy(['source', 'free'])
      .execute();
    let repositoryScans = 0;
    let ciScans = 0;
    let freeUsed = 0;
    let amountMicros = 0;
    for (const row of rows) {
      const scans = Number(row.scans);
      if (row.source === 'repository') repositoryScans += scans;
      else ciScans += scans;
      if (row.free) freeUsed += scans;
      amountMicros += Number(row.micros ?? 0);
    }
    return {
      projectId,
      month,
      repositoryScans,
      ciScans,
      freeQuota: this.prices.freeMonthlyScans,
      freeUsed,
      billedScans: repositoryScans + ciScans - freeUsed,
      amountMicros,
      currency: this.prices.currency,
    };
  }

  async #scansInMonth(db: Kysely<Database>, projectId: string, month: string): Promise<number> {
    const row = await db
      .selectFrom('billingEvent')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('projectId', '=', projectId)
      .where('month', '=', month)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
