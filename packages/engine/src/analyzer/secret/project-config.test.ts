import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretConfigError, SecretConfigError } from './config-error.ts';
import { parseSecretConfig } from './project-config.ts';
import { compileSecretRules } from './rule-set.ts';
import { fake } from './rule-vectors.ts';
import { scanFile } from './scan-file.ts';

const valid = `# the project's secret settings
rules:
  - id: acme-api-key
    title: ACME API key
    severity: high
    category: saas
    keywords: [acme_live_]
    pattern: 'acme_live_(?<secret>[a-z0-9]{24})'
    entropy: 3
    formats: 'acme_live_ + 24 lower-case alphanumerics'
disabledRules:
  - jwt
allowPaths:
  - '**/seed-data/**'
  - regex: '^app/legacy/.*\\.cfg$'
allowValues:
  - '^ghp_0000'
maxFileBytes: 2097152
`;

function issuesOf(yaml: string): readonly string[] {
  try {
    parseSecretConfig(yaml, 'secrets.yaml');
  } catch (error) {
    assert.ok(isSecretConfigError(error), String(error));
    assert.equal(error.code, 'invalid_secret_config');
    assert.equal(error.source, 'secrets.yaml');
    return error.issues;
  }
  assert.fail('the configuration was accepted');
}

describe('parseSecretConfig', () => {
  it('applies a valid configuration: custom rule fires, disabled rule silent, allowed path and value suppressed', () => {
    const config = parseSecretConfig(valid, 'secrets.yaml');
    assert.equal(config.maxFileBytes, 2097152);
    const rules = compileSecretRules(config);
    const scan = (path: string, text: string) =>
      scanFile(rules, path, Buffer.from(text)).matches.map((match) => match.ruleId);
    const acme = `acme_live_${fake('lower', 24)}`;
    assert.deepEqual(scan('app/src/pay.js', `const key = '${acme}';\n`), ['acme-api-key']);
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI${fake('url64', 20)}.${fake('url64', 43)}`;
    assert.deepEqual(scan('app/src/pay.js', `const session = '${jwt}';\n`), []);
    assert.deepEqual(
      scanFile(
        compileSecretRules(),
        'app/src/pay.js',
        Buffer.from(`const session = '${jwt}';\n`),
      ).matches.map((m) => m.ruleId),
      ['jwt'],
    );
    assert.deepEqual(scan('app/seed-data/users.js', `const key = '${acme}';\n`), []);
    assert.deepEqual(scan('app/legacy/old.cfg', `password = ${fake('b62', 16)}\n`), []);
    assert.deepEqual(scan('app/legacy/old.ini', `password = ${fake('b62', 16)}\n`), ['ini-password']);
    assert.deepEqual(scan('app/src/gh.js', `const t = 'ghp_0000${fake('b62', 32)}';\n`), []);
    assert.deepEqual(scan('app/src/gh.js', `const t = 'ghp_${fake('b62', 36)}';\n`), ['github-classic-pat']);
  });

  it('accepts an empty document as the defaults', () => {
    assert.deepEqual(parseSecretConfig('', 'secrets.yaml'), {});
    assert.deepEqual(parseSecretConfig('skipDefaultAllowlist: true\n', 'secrets.yaml'), {
      skipDefaultAllowlist: true,
    });
  });

  it('names the line and field of each problem, without quoting patterns', () => {
    assert.match(issuesOf('rules: [\n')[0] ?? '', /^line 2: /);
    assert.deepEqual(issuesOf('disabledRule:\n  - jwt\n'), [
      'line 1, the document: Unrecognized key: "disabledRule"',
    ]);
    assert.deepEqual(issuesOf('disabledRules:\n  - jwt\n  - no-such-rule\n'), [
      'line 3, disabledRules[1]: no built-in rule has the id "no-such-rule"',
    ]);
    const badRules = `rules:
  - id: Bad_Id
    title: x
    severity: urgent
    keywords: [Token]
    pattern: 'tok_(?<secret>[a-z'
  - id: no-group
    title: y
    severity: low
    keywords: []
    pattern: 'tok_[a-z]{8}'
`;
    assert.deepEqual(issuesOf(badRules), [
      'line 4, rules[0].severity: must be one of critical, high, medium, low',
    ]);
    const semantic = badRules.replace('severity: urgent', 'severity: high');
    assert.deepEqual(issuesOf(semantic), [
      'line 2, rules[0].id: must be kebab-case (a-z, 0-9, -)',
      'line 6, rules[0].pattern: is not a valid regular expression (Unterminated character class)',
      'line 5, rules[0].keywords[0]: must be non-empty lower-case ASCII',
      'line 11, rules[1].pattern: must contain a named group (?<secret>...) marking the secret',
      'line 10, rules[1].keywords: needs at least one keyword',
    ]);
    assert.deepEqual(issuesOf('allowValues:\n  - "(unclosed"\n'), [
      'line 2, allowValues[0]: is not a valid regular expression (Unterminated group)',
    ]);
    assert.deepEqual(issuesOf('maxFileBytes: -1\n'), ['line 1, maxFileBytes: must be a number of bytes']);
  });

  it('rejects a bad configuration given in code with the same typed error', () => {
    assert.throws(
      () => compileSecretRules({ disabledRules: ['nope'] }),
      (error: unknown) =>
        error instanceof SecretConfigError &&
        error.issues[0] === 'disabledRules[0]: no built-in rule has the id "nope"',
    );
  });
});
