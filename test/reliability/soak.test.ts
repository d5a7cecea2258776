import assert from 'node:assert/strict';
import { test } from 'node:test';
import { soakSummary, soakViolations } from './soak-report.ts';
import { defaultSoakRates, runSoak } from './soak-run.ts';

/**
 * The short soak (SOAK_SECONDS, default 120): the service scans a few dozen images through a
 * fault-injecting proxy, round after round, then once without faults. Every image must end
 * succeeded or failed with the code its faults explain, no task may hang, memory must stay flat
 * (bounds in soak-report.ts). `npm run soak` is the 30-minute version of the same run.
 */
const seconds = Number(process.env['SOAK_SECONDS'] ?? 120);
const seed = Number(process.env['SOAK_SEED'] ?? 20261127);

test(`soak: ${seconds} s of scanning through injected registry faults`, async () => {
  const report = await runSoak({
    seconds,
    seed,
    images: 36,
    rates: defaultSoakRates,
    roundBoundMs: 180_000,
  });
  const summary = soakSummary(report);
  console.log(summary);
  assert.deepEqual(soakViolations(report), [], summary);
});
