/**
 * Matches an inventory once in a fresh process and prints the milliseconds, so bench:vulndb can
 * time the first match as `drydock image` does it: one match per process, with the CLI's Node flags.
 *   node --import tsx bench/match-once.ts DATABASE INVENTORY.json
 * Loading the modules and opening the database are not timed; the match is, caches cold.
 */
import { readFileSync } from 'node:fs';
import { matchInventory, openVulnerabilityDatabase, type InventoryPackage } from '@drydock/engine';
import { versionSchemes } from '../packages/engine/src/versioning/registry.ts';

const [databasePath, inventoryPath] = process.argv.slice(2);
if (!databasePath || !inventoryPath) throw new Error('usage: match-once.ts DATABASE INVENTORY.json');
const { packages, os } = JSON.parse(readFileSync(inventoryPath, 'utf8')) as {
  readonly packages: InventoryPackage[];
  readonly os: Parameters<typeof matchInventory>[1];
};
const database = openVulnerabilityDatabase(databasePath);
const started = performance.now();
const findings = matchInventory(packages, os, database, versionSchemes).length;
const ms = performance.now() - started;
database.close();
process.stdout.write(JSON.stringify({ ms, findings }));
