/**
 * Fuzzing the files a user or a feed hands to Drydock beside the image, and the secret scan of
 * file content: secret-rule YAML (then compiled and run), ignore files (.drydockignore), OpenVEX
 * documents, compliance policies, SPDX expressions, the feeds file, and malware hash lists (ClamAV
 * .hdb/.hsb, CSV, plain). Each parser throws only its own documented error type.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSecretConfigError } from '../../packages/engine/src/analyzer/secret/config-error.ts';
import { parseSecretConfig } from '../../packages/engine/src/analyzer/secret/project-config.ts';
import { compileSecretRules } from '../../packages/engine/src/analyzer/secret/rule-set.ts';
import { fake } from '../../packages/engine/src/analyzer/secret/rule-vectors.ts';
import { scanFile } from '../../packages/engine/src/analyzer/secret/scan-file.ts';
import { HashListParser } from '../../packages/engine/src/analyzer/malware/hash-list-parser.ts';
import {
  isCompliancePolicyError,
  parseCompliancePolicy,
} from '../../packages/engine/src/check/compliance/policy-file.ts';
import { parseSpdx } from '../../packages/engine/src/check/compliance/spdx-expression.ts';
import { isSuppressionFileError } from '../../packages/engine/src/report/suppressions-error.ts';
import { vex } from '../../packages/engine/src/report/suppressions-fixtures.ts';
import { parseIgnoreFile } from '../../packages/engine/src/report/suppressions-ignore-file.ts';
import { parseVexDocument } from '../../packages/engine/src/report/suppressions-vex.ts';
import { parseFeedsFile } from '../../packages/engine/src/vulndb/feeds.ts';
import { boundedCall, drydockErrorsOnly, nothingThrown } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { textInputs } from './mutations.ts';

const secretConfig = `rules:
  - id: acme-api-key
    title: ACME API key
    severity: high
    category: saas
    keywords: [acme_live_]
    pattern: 'acme_live_(?<secret>[a-z0-9]{24})'
    entropy: 3
disabledRules:
  - jwt
allowPaths:
  - '**/seed-data/**'
  - regex: '^app/legacy/.*\\.cfg$'
allowValues:
  - '^ghp_0000'
maxFileBytes: 2097152
`;

const scannedTexts = [
  `AWS_ACCESS_KEY_ID=AKIA${fake('upper', 16)}\nAWS_SECRET_ACCESS_KEY=${fake('b64', 40)}\n`,
  `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${fake('b64', 64)}\\n-----END PRIVATE KEY-----\\n"}`,
  `password: "${fake('b62', 20)}"\nurl: postgres://app:${fake('b62', 12)}@db:5432/app\nacme_live_${fake('lower', 24)}\n`,
  `Authorization: Bearer ${fake('b62', 40)}\nghp_${fake('b62', 36)}\nxoxb-${fake('digits', 12)}-${fake('digits', 12)}-${fake('b62', 24)}\n`,
];

describe('fuzz: secret rules and the secret scan', () => {
  it('secret configuration YAML, compiled when valid', () => {
    fc.assert(
      fc.property(textInputs([secretConfig]), (text) => {
        const config = boundedCall(
          'parseSecretConfig',
          text,
          () => parseSecretConfig(text, 'secrets.yaml'),
          isSecretConfigError,
        );
        if (config !== undefined)
          boundedCall(
            'compileSecretRules',
            text,
            () => compileSecretRules(config, 'secrets.yaml'),
            isSecretConfigError,
          );
      }),
      fuzzParameters(),
    );
  });

  it('the built-in and project rules over file content', () => {
    const rules = compileSecretRules(parseSecretConfig(secretConfig, 'secrets.yaml'));
    const paths = fc.constantFrom(
      'app/.env',
      'app/config.json',
      'home/app/.aws/credentials',
      'srv/app.py',
      'app/id_rsa',
    );
    fc.assert(
      fc.property(textInputs(scannedTexts), paths, (text, path) => {
        const content = Buffer.from(text, 'utf8');
        boundedCall('scanFile', text, () => scanFile(rules, path, content), nothingThrown);
      }),
      fuzzParameters(2),
    );
  });
});

describe('fuzz: suppressions', () => {
  it('ignore files', () => {
    const ignore =
      '# accepted\n- id: CVE-2024-0727\n  package: openssl\n  path: /lib/apk/db/installed\n  reason: unreachable\n  expires: 2024-12-31\n- id: pkg:npm/lodash@4.17.20\n  reason: r\n';
    fc.assert(
      fc.property(textInputs([ignore, `%YAML 1.1\n---\n${ignore}`]), (text) => {
        boundedCall(
          'parseIgnoreFile',
          text,
          () => parseIgnoreFile(text, '.drydockignore'),
          isSuppressionFileError,
        );
      }),
      fuzzParameters(),
    );
  });

  it('OpenVEX documents', () => {
    const document = vex([
      {
        vulnerability: { name: 'CVE-2024-0727' },
        products: [
          {
            '@id': 'pkg:oci/app@sha256:' + 'a'.repeat(64),
            subcomponents: [{ '@id': 'pkg:deb/debian/openssl' }],
          },
        ],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
      },
      {
        vulnerability: { '@id': 'https://x/GHSA-1', aliases: ['CVE-1'] },
        products: [{ '@id': 'pkg:npm/lodash@4.17.20' }],
        status: 'fixed',
        timestamp: '2024-05-02T00:00:00Z',
      },
    ]);
    fc.assert(
      fc.property(textInputs([document]), (text) => {
        boundedCall(
          'parseVexDocument',
          text,
          () => parseVexDocument(text, 'app.vex.json'),
          isSuppressionFileError,
        );
      }),
      fuzzParameters(),
    );
  });
});

describe('fuzz: compliance inputs', () => {
  it('policy files', () => {
    const policy = `forbiddenCategories: [forbidden, restricted]\nrestrictedScope: all\nendOfLifeNoticeDays: 30\nallowIds: [GPL-2.0-only]\nprohibitedSoftware:\n  - id: acme-backdoor\n    category: remote-access\n    severity: critical\n    reason: removed by policy\n    packages: { deb: [acme-agent] }\n    binaries: [acme-agentd]\n    sha256: ["${'ab'.repeat(32)}"]\n`;
    fc.assert(
      fc.property(textInputs([policy]), (text) => {
        boundedCall(
          'parseCompliancePolicy',
          text,
          () => parseCompliancePolicy(text, 'policy.yaml'),
          isCompliancePolicyError,
        );
      }),
      fuzzParameters(),
    );
  });

  it('SPDX license expressions', () => {
    const expressions = [
      '(MIT OR Apache-2.0) AND BSD-3-Clause',
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      'LicenseRef-scancode-x+ OR (A AND (B OR (C)))',
    ];
    fc.assert(
      fc.property(textInputs(expressions), (text) => {
        boundedCall('parseSpdx', text, () => parseSpdx(text), nothingThrown);
      }),
      fuzzParameters(2),
    );
  });
});

describe('fuzz: feed and hash list inputs', () => {
  it('the feeds file', () => {
    const feeds =
      '# name url\nnpm https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip\ndebian ./feeds/debian.jsonl\n';
    fc.assert(
      fc.property(textInputs([feeds]), (text) => {
        boundedCall('parseFeedsFile', text, () => parseFeedsFile(text, 'feeds.txt'), drydockErrorsOnly);
      }),
      fuzzParameters(),
    );
  });

  it('malware hash lists, line by line, whatever the format', () => {
    const lists = [
      `${'d'.repeat(32)}:68:Eicar-Test-Signature\n${'e'.repeat(64)}:*:Win.Trojan.X-1:73\n`,
      `# "first_seen_utc","sha256_hash","md5_hash","sha1_hash","signature"\n"2024-01-01 00:00:00", "${'a'.repeat(64)}", "${'b'.repeat(32)}", "${'c'.repeat(40)}", "AgentTesla"\n`,
      `${'f'.repeat(40)}  dropper.exe\n${'0'.repeat(64)}\n`,
    ];
    const formats = fc.constantFrom(undefined, 'clamav' as const, 'csv' as const, 'plain' as const);
    fc.assert(
      fc.property(textInputs(lists), formats, (text, format) => {
        boundedCall(
          'HashListParser',
          text,
          () => {
            const parser = new HashListParser(format, 'list');
            for (const line of text.split('\n')) parser.line(line);
          },
          nothingThrown,
        );
      }),
      fuzzParameters(2),
    );
  });
});
