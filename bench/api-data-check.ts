/**
 * Checks and figures on the API benchmark's generated data (bench/api-data.ts): a sample of results
 * recounted with the service's own functions, and the database's sizes for the printout.
 */
import pg from 'pg';
import { imageReportOf } from '../packages/server/src/results/current-results.ts';
import { riskCounts, riskLevel } from '../packages/server/src/results/risk-summary.ts';
import { unpackReport } from '../packages/server/src/store/packed-report.ts';
import type { RiskCounts } from '../packages/server/src/store/schema.ts';
import { query } from './api-data.ts';

/** jsonb keeps keys in its own order, so counts are compared field by field. */
function sameCounts(a: RiskCounts, b: RiskCounts): boolean {
  const severities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
  const kinds = ['secret', 'malware', 'baseline', 'compliance'] as const;
  return (
    severities.every((severity) => a.vulnerability[severity] === b.vulnerability[severity]) &&
    kinds.every((kind) => a[kind] === b[kind])
  );
}

/**
 * Reads `count` current results back and recomputes their counts and levels with the service's
 * own functions: the SQL must have stored what a scan would have. Throws on any difference.
 */
export async function verifySample(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await query<{ id: string; report: string; risk_counts: RiskCounts; risk_level: string }>(
      client,
      `select id, report, risk_counts, risk_level from scan_result order by md5(id) limit $1`,
      [count],
    );
    for (const row of rows) {
      const report = imageReportOf(unpackReport(row.report), row.id);
      const expected = { counts: riskCounts(report), level: riskLevel(report) };
      if (!sameCounts(expected.counts, row.risk_counts) || expected.level !== row.risk_level)
        throw new Error(
          `result ${row.id}: stored ${JSON.stringify(row.risk_counts)} ${row.risk_level}, ` +
            `recomputed ${JSON.stringify(expected.counts)} ${expected.level}`,
        );
    }
  } finally {
    await client.end();
  }
}

/** Database size figures for the printout. */
export async function databaseSizes(
  url: string,
): Promise<{ readonly database: number; readonly scanResult: number; readonly repositoryImage: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [row] = await query<{ database: string; scan_result: string; repository_image: string }>(
      client,
      `select pg_database_size(current_database()) as database,
              pg_total_relation_size('scan_result') as scan_result,
              pg_total_relation_size('repository_image') as repository_image`,
    );
    return {
      database: Number(row?.database ?? 0),
      scanResult: Number(row?.scan_result ?? 0),
      repositoryImage: Number(row?.repository_image ?? 0),
    };
  } finally {
    await client.end();
  }
}
