import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scoreCvssVector } from './cvss.ts';
import type { OsvRecord } from './osv-record.ts';
import { levelOfScore, severityOf } from './severity.ts';

/**
 * Published base scores (FIRST's calculators and specification examples; the v3 ones also agree
 * with Debian's ruby-cvss-suite, checked when the library was chosen).
 */
const published: readonly (readonly [vector: string, score: number])[] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
  ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.3],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 8.1],
  ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
];

function record(fields: Partial<OsvRecord>): OsvRecord {
  return { id: 'TEST-1', modified: '2024-01-01T00:00:00Z', ...fields };
}

describe('CVSS scores', () => {
  for (const [vector, score] of published) {
    it(`${vector} scores ${score}`, () => {
      assert.equal(scoreCvssVector(vector)?.score, score);
    });
  }

  it('refuses vectors that are not complete, well-formed vectors', () => {
    for (const vector of [
      'CVSS:3.1/AV:N',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
      'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'garbage',
      '',
    ]) {
      assert.equal(scoreCvssVector(vector), undefined, vector);
    }
  });

  it('bands scores per FIRST', () => {
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(levelOfScore), [
      'low',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});

describe('severityOf', () => {
  it('prefers CVSS v4, then v3, then v2, and says which', () => {
    const v3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' };
    const v4 = { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' };
    const v2 = { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' };
    assert.deepEqual(severityOf(record({ severity: [v3, v4] })), {
      level: 'critical',
      score: 9.3,
      vector: v4.score,
      cvssVersion: '4.0',
      source: 'cvss_v4',
    });
    assert.deepEqual(severityOf(record({ severity: [v2, v3] })), {
      level: 'medium',
      score: 6.1,
      vector: v3.score,
      cvssVersion: '3.1',
      source: 'cvss_v3',
    });
    assert.equal(severityOf(record({ severity: [v2] })).source, 'cvss_v2');
  });

  it('uses the affected entry own severity before the record one, and skips invalid vectors', () => {
    const affected = {
      package: { ecosystem: 'npm', name: 'x' },
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N' }],
    };
    const top = record({
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ],
      affected: [affected],
    });
    assert.equal(severityOf(top, affected).score, 5.5);
    assert.equal(severityOf(top).score, 9.8);
  });

  it('reads AlmaLinux (Red Hat style) summaries', () => {
    const cases = [
      ['Critical: firefox security update', 'critical'],
      ['Important: kernel security update', 'high'],
      ['Moderate: container-tools:rhel8 security update', 'medium'],
      ['Low: libtiff security update', 'low'],
      ['ALSA-2022:5468: php:8.0 security update (Important)', 'high'],
      ['openssl security update', 'unknown'],
    ] as const;
    for (const [summary, level] of cases) {
      const assessed = severityOf(record({ summary }));
      assert.equal(assessed.level, level, summary);
      assert.equal(assessed.source, level === 'unknown' ? 'none' : 'distribution');
    }
  });

  it('reads distributions and databases own ratings', () => {
    const pkg = { ecosystem: 'Debian:12', name: 'openssl' };
    assert.equal(severityOf(record({ severity: [{ type: 'Ubuntu', score: 'medium' }] })).level, 'medium');
    assert.equal(severityOf(record({ severity: [{ type: 'Ubuntu', score: 'negligible' }] })).level, 'low');
    const debian = { package: pkg, ecosystem_specific: { urgency: 'high' } };
    assert.equal(severityOf(record({ affected: [debian] }), debian).level, 'high');
    const unassigned = { package: pkg, ecosystem_specific: { urgency: 'not yet assigned' } };
    assert.equal(severityOf(record({ affected: [unassigned] }), unassigned).level, 'unknown');
    assert.equal(severityOf(record({ database_specific: { severity: 'MODERATE' } })).level, 'medium');
    assert.deepEqual(severityOf(record({ database_specific: { cvss_v3: '7.5' } })), {
      level: 'high',
      score: 7.5,
      source: 'distribution',
    });
    assert.deepEqual(severityOf(record({})), { level: 'unknown', source: 'none' });
  });
});
