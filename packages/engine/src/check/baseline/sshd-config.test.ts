import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveAlgorithms } from './sshd-algorithms.ts';
import { globalDirective, matchDirectives, parseSshdConfig, splitArguments } from './sshd-config.ts';

function config(files: Record<string, string>) {
  const parsed = parseSshdConfig(new Map(Object.entries(files)));
  assert.ok(parsed);
  return parsed;
}

describe('splitArguments', () => {
  it('splits on whitespace, honours quotes and escapes, stops at a comment token', () => {
    assert.deepEqual(splitArguments('a  b\tc'), ['a', 'b', 'c']);
    assert.deepEqual(splitArguments('"two words" \'x y\' z'), ['two words', 'x y', 'z']);
    assert.deepEqual(splitArguments('a\\ b c'), ['a b', 'c']);
    assert.deepEqual(splitArguments('yes # comment'), ['yes']);
    assert.deepEqual(splitArguments('a#b'), ['a#b']);
    assert.deepEqual(splitArguments(''), []);
  });
});

describe('parseSshdConfig', () => {
  it('is undefined without sshd_config', () => {
    assert.equal(parseSshdConfig(new Map()), undefined);
  });

  it('reads Keyword value and Keyword=value, case-insensitively, the first value winning', () => {
    const parsed = config({
      'etc/ssh/sshd_config': '# c\n  permitrootlogin=yes\nPermitRootLogin no\nMaxAuthTries = 3\n',
    });
    const root = globalDirective(parsed, 'PermitRootLogin');
    assert.deepEqual(root && { args: root.args, line: root.line, name: root.name }, {
      args: ['yes'],
      line: 2,
      name: 'permitrootlogin',
    });
    assert.deepEqual(globalDirective(parsed, 'maxauthtries')?.args, ['3']);
  });

  it('expands Include in place, matches in lexical byte order, relative to etc/ssh', () => {
    const parsed = config({
      'etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nPasswordAuthentication yes\n',
      'etc/ssh/sshd_config.d/b.conf': 'PasswordAuthentication no\n',
      'etc/ssh/sshd_config.d/B.conf': 'X11Forwarding no\n',
      'etc/ssh/sshd_config.d/a.conf': 'X11Forwarding yes\nPasswordAuthentication without\n',
      'etc/ssh/sshd_config.d/c.conf.disabled': 'PermitRootLogin yes\n',
      'etc/ssh/sshd_config.d/sub/d.conf': 'PermitRootLogin yes\n',
    });
    assert.deepEqual(parsed.includes, [
      {
        path: 'etc/ssh/sshd_config',
        line: 1,
        pattern: 'sshd_config.d/*.conf',
        matched: [
          'etc/ssh/sshd_config.d/B.conf',
          'etc/ssh/sshd_config.d/a.conf',
          'etc/ssh/sshd_config.d/b.conf',
        ],
      },
    ]);
    assert.equal(globalDirective(parsed, 'X11Forwarding')?.path, 'etc/ssh/sshd_config.d/B.conf');
    assert.deepEqual(globalDirective(parsed, 'PasswordAuthentication')?.args, ['without']);
    assert.equal(globalDirective(parsed, 'PermitRootLogin'), undefined);
  });

  it('accepts absolute Include paths and stops at include loops', () => {
    const parsed = config({
      'etc/ssh/sshd_config': 'Include /etc/ssh/extra.conf\n',
      'etc/ssh/extra.conf': 'Include /etc/ssh/extra.conf\nMaxAuthTries 2\n',
    });
    assert.deepEqual(globalDirective(parsed, 'MaxAuthTries')?.args, ['2']);
    assert.equal(parsed.includes.length, 17);
    assert.deepEqual(parsed.includes.at(-1)?.matched, []);
  });

  it('keeps Match blocks out of the global values; a Match ends with the file that holds it', () => {
    const parsed = config({
      'etc/ssh/sshd_config': [
        'Include /etc/ssh/sshd_config.d/*.conf',
        'X11Forwarding no',
        'Match User backup',
        '  PasswordAuthentication yes',
        '  PasswordAuthentication no',
        'Match Address 10.0.0.0/8',
        '  PasswordAuthentication yes',
        'Match all',
        'PermitRootLogin yes',
      ].join('\n'),
      'etc/ssh/sshd_config.d/10-dev.conf': 'Match Group dev\n  X11Forwarding yes\n',
    });
    assert.deepEqual(globalDirective(parsed, 'X11Forwarding')?.line, 2);
    assert.equal(globalDirective(parsed, 'PasswordAuthentication'), undefined);
    assert.equal(globalDirective(parsed, 'PermitRootLogin'), undefined);
    assert.deepEqual(
      matchDirectives(parsed, 'PasswordAuthentication').map((directive) => [
        directive.match?.criteria,
        directive.args[0],
        directive.line,
      ]),
      [
        ['User backup', 'yes', 4],
        ['Address 10.0.0.0/8', 'yes', 7],
      ],
    );
    assert.deepEqual(
      matchDirectives(parsed, 'X11Forwarding').map((directive) => [
        directive.match?.criteria,
        directive.path,
      ]),
      [['Group dev', 'etc/ssh/sshd_config.d/10-dev.conf']],
    );
    assert.equal(matchDirectives(parsed, 'PermitRootLogin')[0]?.match?.criteria, 'all');
  });
});

describe('resolveAlgorithms', () => {
  const defaults = 'a-ctr,b-gcm,c-etm';
  it('replaces, appends, prepends and removes by pattern', () => {
    assert.deepEqual(resolveAlgorithms('x-cbc,a-ctr', defaults), ['x-cbc', 'a-ctr']);
    assert.deepEqual(resolveAlgorithms('+x-cbc', defaults), ['a-ctr', 'b-gcm', 'c-etm', 'x-cbc']);
    assert.deepEqual(resolveAlgorithms('^x-cbc,c-etm', defaults), ['x-cbc', 'c-etm', 'a-ctr', 'b-gcm']);
    assert.deepEqual(resolveAlgorithms('-b-*,c-etm', defaults), ['a-ctr']);
  });

  it('matches removal patterns with * and ? as sshd does, whatever their length', () => {
    assert.deepEqual(resolveAlgorithms('-?-c*', defaults), ['b-gcm', 'c-etm']);
    assert.deepEqual(resolveAlgorithms('-*t*', defaults), ['b-gcm']);
    assert.deepEqual(resolveAlgorithms('-*-*-*', defaults), defaults.split(','));
    assert.deepEqual(resolveAlgorithms('-a.ctr,b-gc[m]', defaults), defaults.split(','));
    // Found by fuzzing (test/fuzz/system-files.test.ts): `MACs - - - ...` over 33,000 characters
    // threw "Regular expression too large" out of the baseline checks.
    assert.deepEqual(resolveAlgorithms(`-${'- '.repeat(20_000)}`, defaults), defaults.split(','));
  });
});
