/**
 * evaluateOsvRanges against every rule of the OSV evaluation section
 * (https://ossf.github.io/osv-schema/#evaluation), Drydock's rules for what it cannot read, and
 * real records of ../shared/vulndata (an AlmaLinux and a PyPI advisory) with versions just
 * below, at and above their fixed versions.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { evaluateOsvRanges } from './evaluate-osv-ranges.ts';
import type { OsvAffectedRanges, OsvEvent, RangeVerdict } from './osv-affected.ts';
import { pep440Scheme } from './pep440/scheme.ts';
import { rpmScheme } from './rpm/scheme.ts';
import type { VersionScheme } from './scheme.ts';
import { vulnData } from './vector-files.ts';

/** ECOSYSTEM ranges in these tests use PEP 440 (plain `1.0.2` versions order as expected). */
const scheme = pep440Scheme;

/**
 * A stand-in for the semver scheme (written elsewhere): numeric `x.y.z` only, enough to tell
 * which scheme a SEMVER range is evaluated with.
 */
const numericSemver: VersionScheme = {
  id: 'semver',
  isValid: (version) => /^\d+\.\d+\.\d+$/.test(version),
  compare: (a, b) => {
    const left = a.split('.').map(Number);
    const right = b.split('.').map(Number);
    for (let i = 0; i < 3; i++) if (left[i] !== right[i]) return (left[i] ?? 0) < (right[i] ?? 0) ? -1 : 1;
    return 0;
  },
};

function ecosystem(...events: OsvEvent[]): OsvAffectedRanges {
  return { ranges: [{ type: 'ECOSYSTEM', events }] };
}

function status(verdict: RangeVerdict): string {
  return verdict.status;
}

/** The status of each version against one entry, as `version → status`. */
function statuses(
  affected: OsvAffectedRanges,
  versions: readonly string[],
  using: VersionScheme = scheme,
): Record<string, string> {
  return Object.fromEntries(
    versions.map((version) => [version, status(evaluateOsvRanges(version, affected, using))]),
  );
}

describe('evaluateOsvRanges: the OSV evaluation rules', () => {
  it('introduced "0" alone: every version is affected ("0" sorts before every version)', () => {
    const verdict = evaluateOsvRanges('0.0.0.dev0', ecosystem({ introduced: '0' }), scheme);
    assert.deepEqual(verdict, {
      status: 'affected',
      evidence: { kind: 'range', type: 'ECOSYSTEM', introduced: '0' },
    });
    assert.equal(status(evaluateOsvRanges('99!1.0', ecosystem({ introduced: '0' }), scheme)), 'affected');
  });

  it('fixed: versions from introduced up to, not including, fixed', () => {
    const entry = ecosystem({ introduced: '0' }, { fixed: '1.0.2' });
    assert.deepEqual(
      statuses(entry, ['0.1', '1.0.2rc1', '1.0.1', '1.0.2', '1.0.2.0', '1.0.2.post1', '2.0']),
      {
        '0.1': 'affected',
        '1.0.2rc1': 'affected',
        '1.0.1': 'affected',
        '1.0.2': 'not-affected',
        '1.0.2.0': 'not-affected',
        '1.0.2.post1': 'not-affected',
        '2.0': 'not-affected',
      },
    );
    assert.deepEqual(evaluateOsvRanges('1.0.1', entry, scheme), {
      status: 'affected',
      evidence: { kind: 'range', type: 'ECOSYSTEM', introduced: '0', fixed: '1.0.2' },
    });
  });

  it('introduced is inclusive', () => {
    const entry = ecosystem({ introduced: '1.0' }, { fixed: '2.0' });
    assert.deepEqual(statuses(entry, ['0.9', '1.0rc1', '1.0', '1.0.0', '1.5']), {
      '0.9': 'not-affected',
      '1.0rc1': 'not-affected',
      '1.0': 'affected',
      '1.0.0': 'affected',
      '1.5': 'affected',
    });
  });

  it('last_affected: versions up to and including it', () => {
    const entry = ecosystem({ introduced: '0' }, { last_affected: '2.1.214' });
    assert.deepEqual(statuses(entry, ['2.1.213', '2.1.214', '2.1.214.post1', '2.1.215']), {
      '2.1.213': 'affected',
      '2.1.214': 'affected',
      '2.1.214.post1': 'not-affected',
      '2.1.215': 'not-affected',
    });
    assert.deepEqual(evaluateOsvRanges('2.1.214', entry, scheme), {
      status: 'affected',
      evidence: { kind: 'range', type: 'ECOSYSTEM', introduced: '0', lastAffected: '2.1.214' },
    });
  });

  it('limit: an upper bound; several limits: below any of them; "*" is infinity', () => {
    const limited = ecosystem({ introduced: '1.0' }, { limit: '2.0' });
    assert.deepEqual(statuses(limited, ['0.5', '1.0', '1.9', '2.0', '3.0']), {
      '0.5': 'not-affected',
      '1.0': 'affected',
      '1.9': 'affected',
      '2.0': 'not-affected',
      '3.0': 'not-affected',
    });
    assert.deepEqual(evaluateOsvRanges('1.9', limited, scheme), {
      status: 'affected',
      evidence: { kind: 'range', type: 'ECOSYSTEM', introduced: '1.0', limit: '2.0' },
    });
    const twoLimits = ecosystem({ introduced: '1.0' }, { limit: '2.0' }, { limit: '4.0' });
    assert.deepEqual(statuses(twoLimits, ['1.5', '3.0', '4.0']), {
      '1.5': 'affected',
      '3.0': 'affected',
      '4.0': 'not-affected',
    });
    const infinite = ecosystem({ introduced: '1.0' }, { limit: '*' });
    assert.equal(status(evaluateOsvRanges('1000.0', infinite, scheme)), 'affected');
    const fixedAndLimited = ecosystem({ introduced: '0' }, { fixed: '3.0' }, { limit: '2.0' });
    assert.deepEqual(statuses(fixedAndLimited, ['1.0', '2.5', '3.5']), {
      '1.0': 'affected',
      '2.5': 'not-affected',
      '3.5': 'not-affected',
    });
  });

  const twoIntervals: readonly OsvEvent[] = [
    { introduced: '1.0.0' },
    { fixed: '1.0.2' },
    { introduced: '3.0.0' },
    { fixed: '3.2.5' },
  ];
  const twoIntervalsExpected = {
    '0.9': 'not-affected',
    '1.0.0': 'affected',
    '1.0.1': 'affected',
    '1.0.2': 'not-affected',
    '2.0': 'not-affected',
    '3.0.0': 'affected',
    '3.2.4': 'affected',
    '3.2.5': 'not-affected',
    '4.0': 'not-affected',
  };

  it('several introduced/fixed pairs: [1.0.0, 1.0.2) and [3.0.0, 3.2.5)', () => {
    assert.deepEqual(
      statuses(ecosystem(...twoIntervals), Object.keys(twoIntervalsExpected)),
      twoIntervalsExpected,
    );
    assert.deepEqual(evaluateOsvRanges('3.1', ecosystem(...twoIntervals), scheme), {
      status: 'affected',
      evidence: { kind: 'range', type: 'ECOSYSTEM', introduced: '3.0.0', fixed: '3.2.5' },
    });
  });

  it('unsorted events are sorted by the scheme first, every order giving the same verdicts', () => {
    const orders = [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
      [3, 0, 2, 1],
    ];
    for (const order of orders) {
      const events = order.map((i) => twoIntervals[i] ?? {});
      assert.deepEqual(
        statuses(ecosystem(...events), Object.keys(twoIntervalsExpected)),
        twoIntervalsExpected,
      );
    }
    // Sorting follows the scheme, not the strings: 1.10 > 1.9.
    const numeric = ecosystem({ fixed: '1.10' }, { introduced: '1.9' });
    assert.deepEqual(statuses(numeric, ['1.8', '1.9.5', '1.10']), {
      '1.8': 'not-affected',
      '1.9.5': 'affected',
      '1.10': 'not-affected',
    });
  });

  it('introduced "0" then fixed (the shape most ranges have) gives the full walk’s verdicts and evidence', () => {
    // Written the other way round, the same range takes the general walk (place, sort, walk).
    const cases: [string, string][] = [
      ['1.0.2', '1.0.1'],
      ['1.0.2', '1.0.2'],
      ['1.0.2', '1.0.2rc1'],
      ['1.0.2', '2.0'],
      ['1.0.2', 'not a version'],
      ['garbage', '1.0'],
      ['0', '0'],
      ['1!1.0', '2.0'],
    ];
    for (const [fixed, version] of cases) {
      const shortcut = evaluateOsvRanges(version, ecosystem({ introduced: '0' }, { fixed }), scheme);
      const walked = evaluateOsvRanges(version, ecosystem({ fixed }, { introduced: '0' }), scheme);
      assert.deepEqual(shortcut, walked, `fixed ${fixed}, version ${version}`);
    }
    // An event with two kinds is not the shape: it stays unknown.
    assert.equal(
      status(
        evaluateOsvRanges('1.0', ecosystem({ introduced: '0' }, { fixed: '2.0', limit: '3.0' }), scheme),
      ),
      'unknown',
    );
  });

  it('events of equal versions keep the record’s order', () => {
    assert.equal(
      status(evaluateOsvRanges('1.0', ecosystem({ introduced: '1.0' }, { fixed: '1.0' }), scheme)),
      'not-affected',
    );
    assert.equal(
      status(evaluateOsvRanges('1.0', ecosystem({ fixed: '1.0' }, { introduced: '1.0' }), scheme)),
      'affected',
    );
  });

  it('versions: an exact string match is affected, even with no range and for a version the scheme rejects', () => {
    const entry: OsvAffectedRanges = { versions: ['1.0', 'not-pep-440'] };
    assert.deepEqual(evaluateOsvRanges('1.0', entry, scheme), {
      status: 'affected',
      evidence: { kind: 'versions', version: '1.0' },
    });
    assert.equal(status(evaluateOsvRanges('not-pep-440', entry, scheme)), 'affected');
    // Exact string match, as the spec's pseudocode: 1.0.0 equals 1.0 in PEP 440 but is not listed.
    assert.equal(status(evaluateOsvRanges('1.0.0', entry, scheme)), 'not-affected');
    assert.equal(status(evaluateOsvRanges('2.0', entry, scheme)), 'not-affected');
  });

  it('versions and ranges: either one makes the version affected', () => {
    const entry: OsvAffectedRanges = {
      ...ecosystem({ introduced: '2.0' }, { fixed: '3.0' }),
      versions: ['1.5'],
    };
    assert.deepEqual(statuses(entry, ['1.5', '1.6', '2.5', '3.0']), {
      '1.5': 'affected',
      '1.6': 'not-affected',
      '2.5': 'affected',
      '3.0': 'not-affected',
    });
  });

  it('GIT ranges are not evaluated', () => {
    const git = {
      type: 'GIT',
      repo: 'https://github.com/owner/repo',
      events: [{ introduced: 'a'.repeat(40) }],
    };
    assert.deepEqual(evaluateOsvRanges('1.0', { ranges: [git] }, scheme), {
      status: 'unknown',
      reason: 'git ranges only',
    });
    assert.deepEqual(evaluateOsvRanges('1.0', { ranges: [git], versions: [] }, scheme), {
      status: 'unknown',
      reason: 'git ranges only',
    });
    // With a versions list, the list is the answer (the spec asks GIT ranges to come with one).
    const listed = { ranges: [git], versions: ['1.0'] };
    assert.equal(status(evaluateOsvRanges('1.0', listed, scheme)), 'affected');
    assert.equal(status(evaluateOsvRanges('1.1', listed, scheme)), 'not-affected');
    // Beside an ECOSYSTEM range, the GIT range is ignored.
    const mixed = { ranges: [git, { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] };
    assert.deepEqual(statuses(mixed, ['1.0', '2.0']), { '1.0': 'affected', '2.0': 'not-affected' });
    const other = { ranges: [{ type: 'FUTURE', events: [{ introduced: '0' }] }] };
    assert.equal(status(evaluateOsvRanges('1.0', other, scheme)), 'unknown');
  });

  it('SEMVER ranges use the semver scheme', () => {
    const entry: OsvAffectedRanges = {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.10.0' }] }],
    };
    const options = { semver: numericSemver };
    assert.equal(status(evaluateOsvRanges('1.9.0', entry, scheme, options)), 'affected');
    assert.equal(status(evaluateOsvRanges('1.10.0', entry, scheme, options)), 'not-affected');
    assert.deepEqual(evaluateOsvRanges('1.9.0', entry, scheme, options), {
      status: 'affected',
      evidence: { kind: 'range', type: 'SEMVER', introduced: '1.2.0', fixed: '1.10.0' },
    });
    // A PEP 440 version that is not SemVer is unknown for the SEMVER range.
    assert.equal(status(evaluateOsvRanges('1.9', entry, scheme, options)), 'unknown');
    // The ecosystem's scheme is the semver scheme: used for SEMVER ranges too.
    assert.equal(status(evaluateOsvRanges('1.9.0', entry, numericSemver)), 'affected');
    // No semver scheme at hand: unknown, never a guess with the ecosystem's order.
    assert.deepEqual(evaluateOsvRanges('1.9.0', entry, scheme), {
      status: 'unknown',
      reason: 'SEMVER range without a semver scheme',
    });
  });
});

describe('evaluateOsvRanges: what Drydock cannot read is unknown', () => {
  it('an installed version the scheme rejects is unknown, never affected or safe', () => {
    for (const entry of [ecosystem({ introduced: '0' }), ecosystem({ introduced: '0' }, { fixed: '1.0' })])
      assert.deepEqual(evaluateOsvRanges('not a version', entry, scheme), {
        status: 'unknown',
        reason: '"not a version" is not a valid pep440 version',
      });
  });

  it('an unreadable fixed or last_affected matters only when the walk says affected', () => {
    const fixed = ecosystem({ introduced: '1.0' }, { fixed: 'garbage' });
    assert.equal(status(evaluateOsvRanges('1.5', fixed, scheme)), 'unknown');
    assert.equal(status(evaluateOsvRanges('0.5', fixed, scheme)), 'not-affected');
    const last = ecosystem({ introduced: '1.0' }, { last_affected: 'garbage' });
    assert.equal(status(evaluateOsvRanges('1.5', last, scheme)), 'unknown');
    assert.equal(status(evaluateOsvRanges('0.5', last, scheme)), 'not-affected');
  });

  it('an unreadable introduced matters only when the walk says not affected', () => {
    const entry = ecosystem({ introduced: '0' }, { fixed: '2.0' }, { introduced: 'garbage' });
    assert.equal(status(evaluateOsvRanges('1.0', entry, scheme)), 'affected');
    assert.deepEqual(evaluateOsvRanges('3.0', entry, scheme), {
      status: 'unknown',
      reason: 'range has an event whose version is not a valid pep440 version',
    });
    assert.equal(status(evaluateOsvRanges('1.0', ecosystem({ introduced: 'garbage' }), scheme)), 'unknown');
  });

  it('an unreadable limit matters only when affected and no readable limit lies above', () => {
    const alone = ecosystem({ introduced: '1.0' }, { limit: 'garbage' });
    assert.equal(status(evaluateOsvRanges('1.5', alone, scheme)), 'unknown');
    assert.equal(status(evaluateOsvRanges('0.5', alone, scheme)), 'not-affected');
    const withReadable = ecosystem({ introduced: '1.0' }, { limit: 'garbage' }, { limit: '3.0' });
    assert.equal(status(evaluateOsvRanges('1.5', withReadable, scheme)), 'affected');
    assert.equal(status(evaluateOsvRanges('3.5', withReadable, scheme)), 'unknown');
  });

  it('malformed entries are unknown', () => {
    assert.deepEqual(evaluateOsvRanges('1.0', ecosystem({ introduced: '0', fixed: '2.0' }), scheme), {
      status: 'unknown',
      reason: 'event with more than one of introduced, fixed',
    });
    assert.deepEqual(evaluateOsvRanges('1.0', ecosystem({ fixed: '2.0' }), scheme), {
      status: 'unknown',
      reason: 'range has no introduced event',
    });
    assert.deepEqual(evaluateOsvRanges('1.0', ecosystem(), scheme), {
      status: 'unknown',
      reason: 'range has no introduced event',
    });
    assert.deepEqual(evaluateOsvRanges('1.0', {}, scheme), {
      status: 'unknown',
      reason: 'no ranges or versions',
    });
  });

  it('ranges combine: affected wins over unknown, unknown over not-affected', () => {
    const affectedRange = { type: 'ECOSYSTEM', events: [{ introduced: '0' }] };
    const unknownRange = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'garbage' }] };
    const safeRange = { type: 'ECOSYSTEM', events: [{ introduced: '5.0' }] };
    assert.equal(
      status(evaluateOsvRanges('1.0', { ranges: [unknownRange, affectedRange] }, scheme)),
      'affected',
    );
    assert.equal(status(evaluateOsvRanges('1.0', { ranges: [safeRange, unknownRange] }, scheme)), 'unknown');
    assert.equal(
      status(evaluateOsvRanges('1.0', { ranges: [safeRange, safeRange] }, scheme)),
      'not-affected',
    );
  });
});

describe('evaluateOsvRanges: real records', () => {
  interface Entry extends OsvAffectedRanges {
    readonly package: { readonly ecosystem: string; readonly name: string };
  }
  function entryOf(file: string, id: string, name: string): Entry {
    const line = readFileSync(join(vulnData, file), 'utf8')
      .split('\n')
      .find((text) => text.startsWith(`{"id":"${id}"`) || text.includes(`"id":"${id}"`));
    assert.ok(line !== undefined, `${id} not in ${file}`);
    const record: { readonly id: string; readonly affected: readonly Entry[] } = JSON.parse(line);
    assert.equal(record.id, id);
    const entry = record.affected.find((affected) => affected.package.name === name);
    assert.ok(entry !== undefined, `${id} names no ${name}`);
    return entry;
  }

  it('AlmaLinux ALSA-2022:6224, openssl-libs fixed in 1:3.0.1-41.el9_0 (rpm)', () => {
    const entry = entryOf('almalinux/almalinux9.jsonl', 'ALSA-2022:6224', 'openssl-libs');
    assert.deepEqual(entry.ranges, [
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.1-41.el9_0' }] },
    ]);
    assert.deepEqual(
      statuses(
        entry,
        [
          '1:3.0.1-40.el9_0',
          '1:3.0.1-41.el9_0~rc1',
          '1:3.0.1-41.el9_0',
          '1:3.0.1-41.el9_0.1',
          '1:3.0.1-43.el9_0',
          '1:3.0.7-6.el9_2',
          '3.0.7-6.el9_2',
        ],
        rpmScheme,
      ),
      {
        '1:3.0.1-40.el9_0': 'affected',
        '1:3.0.1-41.el9_0~rc1': 'affected',
        '1:3.0.1-41.el9_0': 'not-affected',
        '1:3.0.1-41.el9_0.1': 'not-affected',
        '1:3.0.1-43.el9_0': 'not-affected',
        '1:3.0.7-6.el9_2': 'not-affected',
        // Without its epoch the version sorts below every epoch-1 version: affected, as rpm says.
        '3.0.7-6.el9_2': 'affected',
      },
    );
  });

  it('PyPI PYSEC-2011-1, django: [0, 1.2.7) and [1.3, 1.3.1), with a versions list', () => {
    const entry = entryOf('pypa-advisory-database/PyPI.jsonl', 'PYSEC-2011-1', 'django');
    assert.deepEqual(entry.ranges?.[0]?.events, [
      { introduced: '0' },
      { fixed: '1.2.7' },
      { introduced: '1.3' },
      { fixed: '1.3.1' },
    ]);
    assert.deepEqual(
      statuses(entry, [
        '1.2.6',
        '1.2.7rc1',
        '1.2.7',
        '1.2.7.post1',
        '1.2.8',
        '1.3',
        '1.3.0',
        '1.3.1rc1',
        '1.3.1',
        '1.4',
      ]),
      {
        '1.2.6': 'affected',
        '1.2.7rc1': 'affected',
        '1.2.7': 'not-affected',
        '1.2.7.post1': 'not-affected',
        '1.2.8': 'not-affected',
        '1.3': 'affected',
        '1.3.0': 'affected',
        '1.3.1rc1': 'affected',
        '1.3.1': 'not-affected',
        '1.4': 'not-affected',
      },
    );
    assert.deepEqual(evaluateOsvRanges('1.2.6', entry, scheme), {
      status: 'affected',
      evidence: { kind: 'versions', version: '1.2.6' },
    });
    assert.deepEqual(evaluateOsvRanges('1.3.0', entry, scheme), {
      status: 'affected',
      evidence: { kind: 'range', type: 'ECOSYSTEM', introduced: '1.3', fixed: '1.3.1' },
    });
  });

  /** Every entry of a JSON Lines file of ../shared/vulndata, with its record's id. */
  function entriesOf(file: string): readonly { readonly id: string; readonly entry: Entry }[] {
    const entries: { readonly id: string; readonly entry: Entry }[] = [];
    for (const line of readFileSync(join(vulnData, file), 'utf8').split('\n')) {
      if (line === '') continue;
      const record: {
        readonly id: string;
        readonly withdrawn?: string;
        readonly affected?: readonly Entry[];
      } = JSON.parse(line);
      if (record.withdrawn !== undefined) continue;
      for (const entry of record.affected ?? []) entries.push({ id: record.id, entry });
    }
    return entries;
  }

  it('every AlmaLinux range: its fixed version is not affected, the version just below it (`~`) is', () => {
    let checked = 0;
    for (const file of ['almalinux8.jsonl', 'almalinux9.jsonl', 'almalinux10.jsonl'])
      for (const { id, entry } of entriesOf(`almalinux/${file}`))
        for (const range of entry.ranges ?? [])
          for (const event of range.events) {
            if (event.fixed === undefined) continue;
            const single = { ranges: [range] };
            assert.equal(
              status(evaluateOsvRanges(event.fixed, single, rpmScheme)),
              'not-affected',
              `${id} ${event.fixed}`,
            );
            assert.equal(
              status(evaluateOsvRanges(`${event.fixed}~`, single, rpmScheme)),
              'affected',
              `${id} ${event.fixed}~`,
            );
            checked++;
          }
    assert.ok(checked > 50_000, `${checked} ranges`);
  });

  it('every PyPI versions list agrees with the ranges alone, but for invalid versions and named data faults', () => {
    /** Listed versions the ranges alone do not make affected, by record: the record's own inconsistency. */
    const dataFaults: Readonly<
      Record<string, { readonly versions: readonly string[]; readonly reason: string }>
    > = {
      'PYSEC-2021-114': {
        versions: ['2.11.6'],
        reason:
          'overlapping intervals [2.11, 2.11.7) and [0, 2.11.6): the spec’s walk closes them at fixed 2.11.6',
      },
      'PYSEC-2023-177': {
        versions: ['23.9.0', '23.9.0.post1'],
        reason: 'the list names the fixed version 23.9.0 and a post-release of it',
      },
      'PYSEC-2023-61': {
        versions: ['3.2a1', '3.2b1', '3.2rc1', '4.2a1', '4.2b1', '4.2rc1'],
        reason: 'pre-releases of an introduced version sort below it in PEP 440, yet the list names them',
      },
    };
    let affected = 0;
    let invalid = 0;
    const faults: string[] = [];
    for (const { id, entry } of entriesOf('pypa-advisory-database/PyPI.jsonl')) {
      const ranges = entry.ranges ?? [];
      if (ranges.length === 0) continue;
      for (const version of entry.versions ?? []) {
        const verdict = evaluateOsvRanges(version, { ranges }, scheme);
        if (verdict.status === 'affected') affected++;
        else if (verdict.status === 'unknown' && !scheme.isValid(version)) invalid++;
        else faults.push(`${id} ${version} ${verdict.status}`);
      }
    }
    const named = Object.entries(dataFaults).flatMap(([id, { versions }]) =>
      versions.map((version) => `${id} ${version} not-affected`),
    );
    assert.deepEqual(faults.sort(), named.sort());
    assert.ok(affected > 130_000, `${affected} affected`);
    assert.ok(invalid < 200, `${invalid} invalid`);
  });
});
