/**
 * An upgrade that changes the vulnerability database's schema: the service keeps its file from the
 * earlier Drydock. It starts without vulnerability data (with a warning) instead of refusing to
 * start, and once `drydock db update` has rebuilt the file, its watch loads the new one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ManualClock } from '@drydock/server';
import { schemaVersion } from '../../packages/engine/src/vulndb/schema.ts';
import { startTestService, type TestService } from '../harness/service.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';

// A made-up advisory about a made-up package: test data only.
const advisory = {
  schema_version: '1.6.0',
  id: 'DRYDOCK-SCHEMA-1',
  modified: '2026-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'drydock-test-schema' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
    },
  ],
};

let work: string;
let env: TestService | undefined;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-db-schema-'));
});
after(async () => {
  await env?.close();
  await rm(work, { recursive: true, force: true });
});

test('a service whose database file has an earlier schema starts without it, warns, and loads the rebuilt file', async () => {
  const path = await buildDatabaseFromRecords(work, 'vulndb', [advisory]);
  // As an earlier Drydock left it: the same file with the schema version it was built with.
  const db = new DatabaseSync(path);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(schemaVersion - 1));
  db.close();

  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.message);
  process.on('warning', onWarning);
  const clock = new ManualClock('2026-05-01T10:00:00Z');
  try {
    env = await startTestService({ clock, engines: { vulnerabilityDatabasePath: path } });
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  const { service } = env;
  assert.equal(service.vulnerabilityDatabase.database, undefined, 'scans run without vulnerability data');
  assert.ok(
    warnings.some((message) => message.includes(`schema version ${schemaVersion - 1}`)),
    warnings.join('\n'),
  );

  // `drydock db update` rebuilds the file in place (the builder starts over on another schema).
  await buildDatabaseFromRecords(work, 'vulndb', [advisory]);
  clock.advance(60_000);
  await service.tick();
  const loaded = service.vulnerabilityDatabase.database as
    { status(): { schemaVersion: number } } | undefined;
  assert.equal(loaded?.status().schemaVersion, schemaVersion, 'the watch loaded the rebuilt file');
});
