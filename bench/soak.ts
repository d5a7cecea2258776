import type { FaultRates } from '../test/harness/fault-plan.ts';
import { soakSummary, soakViolations } from '../test/reliability/soak-report.ts';
import { defaultSoakRates, runSoak } from '../test/reliability/soak-run.ts';

/**
 * `npm run soak`: the long soak (SOAK_SECONDS, default 1800) of test/reliability/soak.test.ts,
 * printing each round (and why its images failed) as it ends and the summary; exits 1 on any violation.
 */
const seconds = Number(process.env['SOAK_SECONDS'] ?? 1800);
const seed = Number(process.env['SOAK_SEED'] ?? Date.now() % 1_000_000);

// SOAK_RATES overrides the per-read rates as JSON, e.g. '{"stall":0.1}'.
const rates = process.env['SOAK_RATES']
  ? (JSON.parse(process.env['SOAK_RATES']) as FaultRates)
  : defaultSoakRates;

// Ctrl-C: exit through the harness's exit hook, which stops the registry it started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const report = await runSoak({
  seconds,
  seed,
  images: 36,
  rates,
  roundBoundMs: 300_000,
  onRound: (round) => {
    const failed = round.images.filter((image) => image.status === 'failed');
    const succeeded = round.images.filter((image) => image.status === 'succeeded').length;
    const terminated = round.images.filter((image) => image.status === 'terminated').length;
    console.log(
      `round ${round.round}${round.faultsOn ? '' : ' (faults off)'}${round.stopped ? ' (stopped)' : ''}: sync ${round.sync.status}, task ${round.taskStatus}, ` +
        `${succeeded}/${round.images.length} succeeded, ${terminated} terminated, ` +
        `failed ${failed.map((image) => image.failureCode).join(' ') || '-'}, ` +
        `images done in ${round.imagesDoneMs ?? '∞'} ms`,
    );
    for (const error of round.sync.errors) console.log(`  sync ${error}`);
    for (const image of failed)
      console.log(
        `  ${image.repository}${image.platform ? ` ${image.platform}` : ''} ${image.failureCode}: ${image.failureMessage} [${image.faults.join(' ')}]`,
      );
  },
});
console.log(soakSummary(report));
const violations = soakViolations(report);
for (const violation of violations) console.log(`VIOLATION ${violation}`);
process.exitCode = violations.length > 0 ? 1 : 0;
