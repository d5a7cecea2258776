import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultKinds, type FaultKind } from '../harness/fault-plan.ts';
import { soakViolations, type ImageOutcome, type RoundReport, type SoakReport } from './soak-report.ts';

/** The soak's judgement on made-up runs: a clean one passes, and each kind of trouble is named. */

function image(overrides: Partial<ImageOutcome> = {}): ImageOutcome {
  return {
    repository: 'soak/app-000',
    platform: '',
    status: 'succeeded',
    failureCode: null,
    failureMessage: null,
    faults: [],
    ...overrides,
  };
}

function round(number: number, overrides: Partial<RoundReport> = {}): RoundReport {
  return {
    round: number,
    faultsOn: true,
    stopped: false,
    sync: { status: 'finished', deleted: 0, errors: [] },
    taskStatus: 'finished',
    images: [image()],
    imagesDoneMs: 1000,
    taskEndLagMs: 200,
    ...overrides,
  };
}

function report(rounds: readonly RoundReport[], heap = [70, 70, 71, 70, 71, 71]): SoakReport {
  const megabyte = 1048576;
  return {
    seconds: 120,
    seed: 1,
    images: 1,
    scansPerRound: 1,
    rounds,
    injected: Object.fromEntries(faultKinds.map((kind) => [kind, 3])) as Record<FaultKind, number>,
    memory: heap.map((mb, index) => ({ atMs: index * 2000, heapUsed: mb * megabyte, rss: 600 * megabyte })),
  };
}

const clean = [round(1), round(2), round(3, { faultsOn: false })];

test('a clean run has no violations', () => {
  assert.deepEqual(soakViolations(report(clean)), []);
});

test('a failure code its faults explain passes; another code, or a failure without faults, does not', () => {
  const failed = (faults: FaultKind[], code: string) =>
    report([
      round(1, { images: [image({ status: 'failed', failureCode: code, faults })] }),
      ...clean.slice(1),
    ]);
  assert.deepEqual(soakViolations(failed(['corrupt'], 'download_failed')), []);
  assert.deepEqual(soakViolations(failed(['stall', 'rate_limited'], 'registry_rate_limited')), []);
  assert.match(
    soakViolations(failed(['corrupt'], 'internal_error')).join(),
    /failed internal_error .*allow download_failed/,
  );
  assert.match(soakViolations(failed([], 'download_failed')).join(), /with no fault injected/);
});

test('hangs, lost images, a stray terminated image and a failing last round are named', () => {
  const hung = report([round(1, { taskStatus: 'running', taskEndLagMs: null }), ...clean.slice(1)]);
  assert.match(soakViolations(hung).join(), /task still running/);
  const slow = report([round(1, { taskEndLagMs: 60_000 }), ...clean.slice(1)]);
  assert.match(soakViolations(slow).join(), /60000 ms after its images/);
  const stuck = report([
    round(1, { images: [image({ status: 'scanning' })], imagesDoneMs: null }),
    ...clean.slice(1),
  ]);
  assert.match(soakViolations(stuck).join(), /still scanning \(a hang\)/);
  const lost = report([round(1, { sync: { status: 'failed', deleted: 1, errors: [] } }), ...clean.slice(1)]);
  assert.match(soakViolations(lost).join(), /marked 1 images deleted/);
  const stray = report([round(1, { images: [image({ status: 'terminated' })] }), ...clean.slice(1)]);
  assert.match(soakViolations(stray).join(), /terminated, though nothing stopped/);
  const stopped = report([
    round(1, { stopped: true, taskStatus: 'stopped', images: [image({ status: 'terminated' })] }),
    ...clean.slice(1),
  ]);
  assert.deepEqual(soakViolations(stopped), []);
  const last = report([
    round(1),
    round(2, { faultsOn: false, images: [image({ status: 'failed', failureCode: 'download_failed' })] }),
  ]);
  assert.match(soakViolations(last).join(), /final round without faults did not scan every image/);
});

test('memory that grows past the bound is named', () => {
  assert.match(
    soakViolations(report(clean, [70, 70, 90, 100, 120, 130])).join(),
    /heap after GC grew 1\.79x/,
  );
  assert.match(soakViolations(report(clean, [70, 70])).join(), /only 2 memory samples/);
});
