import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isElf } from '../go-binary/elf.ts';
import { uniquePackages } from '../go-mod/unique-packages.ts';
import { readAuditableData } from './auditable.ts';
import { cratePackage } from './crate-package.ts';
import { parseCargoLock } from './parse-cargo-lock.ts';

/** Cargo lock files: every locked crate, workspace members and path crates included. */
export const cargoLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'cargo-lock',
  version: 1,
  wants: { basenames: ['Cargo.lock'], maxBytes: 16 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    const parsed = parseCargoLock(file.content.toString('utf8'));
    if (!parsed.ok)
      return [
        {
          kind: 'diagnostic',
          layer: context.layer,
          path: file.path,
          source: 'cargo-lock',
          code: 'parse_error',
          message: parsed.error,
        },
      ];
    const packages = uniquePackages(parsed.crates.map((crate) => cratePackage(crate.name, crate.version)));
    return packages.map((pkg) => ({
      kind: 'package',
      layer: context.layer,
      path: file.path,
      origin: 'lockfile',
      pkg,
    }));
  },
};

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Rust executables built with `cargo auditable`: the crates compiled in, from the `.dep-v0`
 * section. Build-only dependencies (build scripts and proc macros run at build time) are not in
 * the executable and are left out.
 */
export const cargoAuditableAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'cargo-auditable',
  version: 1,
  wants: {
    match: (_path, size, mode) => (mode & 0o111) !== 0 && size >= KiB && size <= 256 * MiB,
    matchGuard: { executable: true },
    maxBytes: 256 * MiB,
  },
  analyze(file, context): readonly Fact[] {
    if (!isElf(file.content)) return [];
    const found = readAuditableData(file.content);
    if (found.kind === 'absent') return [];
    if (found.kind === 'malformed')
      return [
        {
          kind: 'diagnostic',
          layer: context.layer,
          path: file.path,
          source: 'cargo-auditable',
          code: 'parse_error',
          message: found.reason,
        },
      ];
    const packages = uniquePackages(
      found.crates
        .filter((crate) => crate.kind === 'runtime')
        .map((crate) => cratePackage(crate.name, crate.version)),
    );
    return packages.map((pkg) => ({
      kind: 'package',
      layer: context.layer,
      path: file.path,
      origin: 'binary',
      pkg,
    }));
  },
};
