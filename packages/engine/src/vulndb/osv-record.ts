/**
 * An OSV record as Drydock stores and matches it (OSV schema 1.6,
 * https://ossf.github.io/osv-schema/). Only the fields Drydock reads are typed; the stored JSON
 * keeps the whole record. Validated at ingest (osv-schema.ts), so readers can trust the shape.
 */
export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ... */
  readonly type: string;
  readonly score: string;
}

export interface OsvPackage {
  /** `Debian:12`, `Alpine:v3.18`, `AlmaLinux:8`, `PyPI`, `npm`, `Go`, `crates.io`, ... */
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string;
}

export interface OsvAffected {
  readonly package: OsvPackage;
  readonly severity?: readonly OsvSeverity[];
  readonly ranges?: readonly {
    readonly type: string;
    readonly repo?: string;
    readonly events: readonly {
      readonly introduced?: string;
      readonly fixed?: string;
      readonly last_affected?: string;
      readonly limit?: string;
    }[];
  }[];
  readonly versions?: readonly string[];
  readonly ecosystem_specific?: Readonly<Record<string, unknown>>;
  readonly database_specific?: Readonly<Record<string, unknown>>;
}

export interface OsvRecord {
  readonly schema_version?: string;
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly related?: readonly string[];
  readonly upstream?: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly references?: readonly { readonly type: string; readonly url: string }[];
  readonly database_specific?: Readonly<Record<string, unknown>>;
}
