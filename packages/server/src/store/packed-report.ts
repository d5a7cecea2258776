import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';

/**
 * How `scan_result.report` holds a report: its JSON compressed with zstd, as base64 text
 * (migration 0013).
 *
 * A report is written and read whole, never queried inside. As `json` a 190 KB report (most of it
 * advisory descriptions repeated in every image with the finding) went through PostgreSQL's
 * compression and about 90 TOAST chunks on every write: a re-match of 10,000 images spent 34 of
 * its 98 s rewriting reports and 10 s reading them (bench:rematch). Packed it is about 29 KB,
 * made in 0.5 ms. Text rather than `bytea`: PGlite moves `bytea` as hex and converts it in
 * JavaScript, 4 times slower to write and 20 times slower to read than the same bytes as base64.
 */
export type PackedReport = string & { readonly __packedReport: true };

/** zstd's default level: smaller than level 1 and no slower on these reports. */
const level = 3;

const options = { params: { [constants.ZSTD_c_compressionLevel]: level } };

/** The stored form of `report` (any JSON value). */
export function packReport(report: unknown): PackedReport {
  return packReportJson(JSON.stringify(report));
}

/** The stored form of a report already serialised as JSON text (`json`, not checked here). */
export function packReportJson(json: string): PackedReport {
  return zstdCompressSync(json, options).toString('base64') as PackedReport;
}

/** The value `packReport` stored. Damaged data throws: it is stored data, not user input. */
export function unpackReport(packed: string): unknown {
  return JSON.parse(zstdDecompressSync(Buffer.from(packed, 'base64')).toString('utf8'));
}
