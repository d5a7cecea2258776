import type { InventoryPackage } from '../inventory/coalesce-packages.ts';

/** Where a package came from, as name/value pairs every SBOM format can carry (CycloneDX properties, SPDX comments). */
export function packageProperties(pkg: InventoryPackage): [string, string][] {
  const properties: [string, string][] = [
    ['drydock:package:ecosystem', pkg.ecosystem],
    ['drydock:package:path', pkg.path],
    ['drydock:package:origin', pkg.origin],
    ['drydock:layer:index', String(pkg.layer.index)],
    ['drydock:layer:digest', pkg.layer.digest],
  ];
  if (pkg.layer.diffId) properties.push(['drydock:layer:diffId', pkg.layer.diffId]);
  if (pkg.layer.createdBy) properties.push(['drydock:layer:createdBy', pkg.layer.createdBy]);
  if (pkg.source) {
    properties.push(
      ['drydock:package:sourceName', pkg.source.name],
      ['drydock:package:sourceVersion', pkg.source.version],
    );
  }
  if (pkg.arch) properties.push(['drydock:package:arch', pkg.arch]);
  if (pkg.dev) properties.push(['drydock:package:dev', 'true']);
  return properties;
}
