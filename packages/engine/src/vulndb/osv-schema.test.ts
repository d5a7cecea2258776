import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateOsvRecord } from './osv-schema.ts';

const valid = {
  schema_version: '1.6.0',
  id: 'GHSA-xxxx-yyyy-zzzz',
  modified: '2024-01-02T03:04:05Z',
  published: '2024-01-01T00:00:00.123Z',
  aliases: ['CVE-2024-0001'],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'Django' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.2.1' }] }],
      versions: ['4.2'],
    },
  ],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  x_unknown_field: { kept: true },
};

function reason(value: unknown): string {
  const result = validateOsvRecord(value);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.reason;
}

describe('OSV record validation (schema 1.6)', () => {
  it('accepts a full record and keeps unknown fields', () => {
    const result = validateOsvRecord(valid);
    assert.ok(result.ok);
    assert.equal(result.record.id, valid.id);
    assert.deepEqual(Reflect.get(result.record, 'x_unknown_field'), { kept: true });
  });

  it('accepts the minimum: id and modified', () => {
    assert.ok(validateOsvRecord({ id: 'X-1', modified: '2024-01-02T03:04:05+02:00' }).ok);
  });

  it('names the first offending field', () => {
    assert.match(reason({ modified: valid.modified }), /^id: /);
    assert.match(reason({ id: 'X-1' }), /^modified: /);
    assert.match(reason({ id: 42, modified: valid.modified }), /^id: /);
    assert.match(reason({ id: 'X-1', modified: 'yesterday' }), /^modified: not an RFC 3339 timestamp/);
    assert.match(reason({ id: 'X 1', modified: valid.modified }), /^id: an id has no white space/);
    assert.match(reason({ ...valid, aliases: 'CVE-1' }), /^aliases: /);
    assert.match(
      reason({ ...valid, affected: [{ package: { ecosystem: 'PyPI' } }] }),
      /^affected\.0\.package\.name: /,
    );
    assert.match(reason({ ...valid, affected: [{ ranges: [] }] }), /^affected\.0\.package: /);
    assert.match(
      reason({ ...valid, affected: [{ ...valid.affected[0], versions: [1] }] }),
      /^affected\.0\.versions\.0: /,
    );
    assert.match(reason({ ...valid, severity: [{ type: 'CVSS_V3' }] }), /^severity\.0\.score: /);
    assert.match(reason([valid]), /expected object/);
    assert.match(reason(null), /expected object/);
  });

  it('checks range and event shapes', () => {
    const withRange = (range: unknown) => ({
      ...valid,
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [range] }],
    });
    assert.match(reason(withRange({ type: 'SEMVER', events: [] })), /events/);
    assert.match(
      reason(withRange({ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] })),
      /exactly one/,
    );
    assert.match(reason(withRange({ type: 'SEMVER', events: [{ fixed: '1' }] })), /introduced event/);
    assert.match(reason(withRange({ type: 'GIT', events: [{ introduced: 'abc' }] })), /repo/);
    assert.match(reason(withRange({ type: 'RANGE', events: [{ introduced: '0' }] })), /type/);
    assert.match(reason(withRange({ type: 'SEMVER', events: [{ introduced: 1 }] })), /introduced/);
    assert.ok(
      validateOsvRecord(
        withRange({ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.0.0' }] }),
      ).ok,
    );
    assert.ok(
      validateOsvRecord(withRange({ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '2' }] })).ok,
    );
    assert.ok(
      validateOsvRecord(withRange({ type: 'GIT', repo: 'https://x', events: [{ introduced: 'abc' }] })).ok,
    );
  });
});
