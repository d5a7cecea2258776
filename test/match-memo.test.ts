/**
 * The re-match's memo (packages/engine/src/match/match-memo.ts) against matching without it: on
 * fleet-shaped inventories of real package versions from ../shared/vulndata (shared AlmaLinux and
 * Alpine bases, application packages of six ecosystems), every inventory's findings are the same
 * whether its queries were answered fresh or from the memo, in the same order.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  importSource,
  MatchMemo,
  openVulnerabilityDatabase,
  rematchReport,
  type VulnerabilityDatabaseFile,
} from '@drydock/engine';
import { generateInventories, readVulndata, vulndataDir } from '../bench/service-inventories.ts';

let work: string;
let database: VulnerabilityDatabaseFile;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-match-memo-'));
  await importSource(join(work, 'vulndb.sqlite'), vulndataDir);
  database = openVulnerabilityDatabase(join(work, 'vulndb.sqlite'));
});

after(async () => {
  database.close();
  await rm(work, { recursive: true, force: true });
});

it('answers from the memo exactly as matching afresh does, inventory after inventory', async () => {
  const fleet = [...generateInventories(await readVulndata(), 120)];
  // Each OS package also as a binary of another name built from it: matched by source package.
  const bySource = fleet.slice(0, 20).map((inventory) => ({
    ...inventory,
    packages: inventory.packages.map((pkg) =>
      pkg.ecosystem === 'apk' || pkg.ecosystem === 'rpm'
        ? { ...pkg, name: `${pkg.name}-libs`, source: { name: pkg.name, version: pkg.version } }
        : pkg,
    ),
  }));
  const inventories = [...fleet, ...bySource];
  const memo = new MatchMemo();
  let findings = 0;
  let sourceMatches = 0;
  for (const pass of ['fills the memo', 'reads the memo']) {
    for (const [index, inventory] of inventories.entries()) {
      const fresh = rematchReport(inventory, database);
      const remembered = rematchReport(inventory, database, memo);
      assert.deepEqual(remembered, fresh, `inventory ${index}, ${pass}`);
      findings += fresh.length;
      sourceMatches += fresh.filter((finding) => finding.evidence.matchedBy === 'source').length;
    }
  }
  // The fleet is not trivially empty of matches, and source-package queries are among them.
  assert.ok(findings > 10_000, `${findings} findings`);
  assert.ok(sourceMatches > 0, 'some findings matched by source package');
});
