import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareFindingCounts, countBySeverity, noFindings } from './finding-counts.ts';

describe('finding counts', () => {
  it('compares critical first: one critical outweighs any number of high ones', () => {
    const oneCritical = { ...noFindings, critical: 1 };
    const manyHigh = { ...noFindings, high: 500, medium: 900 };
    assert.ok(compareFindingCounts(manyHigh, oneCritical) < 0);
    assert.ok(compareFindingCounts(oneCritical, manyHigh) > 0);
    assert.ok(compareFindingCounts({ ...noFindings, low: 1 }, { ...noFindings, unknown: 9 }) > 0);
    assert.equal(compareFindingCounts(manyHigh, { ...manyHigh }), 0);
  });

  it('counts findings by severity', () => {
    const findings = ['high', 'low', 'high', 'unknown'] as const;
    assert.deepEqual(
      countBySeverity(findings, (severity) => severity),
      { critical: 0, high: 2, medium: 0, low: 1, unknown: 1 },
    );
  });
});
