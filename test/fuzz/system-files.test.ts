/**
 * Fuzzing the system files an image carries and the baseline and weak-password checks read:
 * passwd, shadow, group and gshadow, login.defs, PAM stacks, pwquality.conf and sshd_config with
 * its Include and Match blocks. Each file is mutated alone while the others stay valid, and the
 * whole set of checks runs over it; none of them may throw.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { accountChecks } from '../../packages/engine/src/check/baseline/accounts-checks.ts';
import {
  parseGroup,
  parseGshadow,
  parsePasswd,
  parseShadow,
} from '../../packages/engine/src/check/baseline/accounts-files.ts';
import { passwordPolicyChecks } from '../../packages/engine/src/check/baseline/password-policy-checks.ts';
import { sshdChecks } from '../../packages/engine/src/check/baseline/sshd-checks.ts';
import { identifyHash } from '../../packages/engine/src/check/weak-password/hash-algorithm.ts';
import { parseShadowHashes } from '../../packages/engine/src/check/weak-password/shadow-hashes.ts';
import { boundedCall, nothingThrown } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { textInputs } from './mutations.ts';

const validFiles: Readonly<Record<string, string>> = {
  'etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\napp:x:1000:1000:App,,,:/home/app:/bin/sh\n+::::::\n',
  'etc/shadow':
    'root:$6$saltsalt$' +
    'a'.repeat(86) +
    ':19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\napp:!$y$j9T$salt$hash:19000:1:90:7:30:20000:\nold:$1$abc$0123456789abcdef012345:0::::::\n',
  'etc/group': 'root:x:0:\nsudo:x:27:app,root\napp:x:1000:\n',
  'etc/gshadow': 'root:*::\nsudo:!::app\napp:!::\n',
  'etc/login.defs':
    'PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS 0\nENCRYPT_METHOD SHA512\nSHA_CRYPT_MIN_ROUNDS 5000\nUMASK 022\n',
  'etc/pam.d/common-password':
    'password [success=1 default=ignore] pam_unix.so obscure yescrypt rounds=5\npassword requisite pam_pwquality.so retry=3 minlen=8 dcredit=-1\n@include common-auth\n',
  'etc/pam.d/common-auth': 'auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n',
  'etc/security/pwquality.conf': 'minlen = 12\nminclass=3\n# comment\ndictcheck = 1\n',
  'etc/ssh/sshd_config':
    'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nPasswordAuthentication yes\nCiphers +3des-cbc,aes128-cbc\nMACs -hmac-sha1\nKexAlgorithms ^diffie-hellman-group1-sha1\nHostKeyAlgorithms "ssh-rsa,ssh-dss"\nMatch User app Address 10.0.0.0/8\n  PermitEmptyPasswords yes\n  X11Forwarding yes\n',
  'etc/ssh/sshd_config.d/50-cloud.conf': 'PasswordAuthentication no\nMaxAuthTries 10\nLoginGraceTime 2m\n',
};

function runChecks(files: ReadonlyMap<string, string>): void {
  accountChecks(files, new Date('2026-01-01T00:00:00Z'));
  passwordPolicyChecks(files);
  sshdChecks(files);
}

describe('fuzz: system files', () => {
  for (const [path, content] of Object.entries(validFiles)) {
    it(`every baseline check over a mutated ${path}`, () => {
      fc.assert(
        fc.property(textInputs([content]), (text) => {
          const files = new Map(Object.entries(validFiles));
          files.set(path, text);
          boundedCall(`baseline checks (${path})`, text, () => runChecks(files), nothingThrown);
        }),
        fuzzParameters(0.5),
      );
    });
  }

  it('account file parsers, shadow hashes and hash identification on their own', () => {
    const accountFiles = [
      validFiles['etc/passwd'] ?? '',
      validFiles['etc/shadow'] ?? '',
      validFiles['etc/group'] ?? '',
    ];
    fc.assert(
      fc.property(textInputs(accountFiles), (text) => {
        boundedCall(
          'account file parsers',
          text,
          () => {
            parsePasswd(text);
            parseShadow(text);
            parseGroup(text);
            parseGshadow(text);
            for (const { hash } of parseShadowHashes(text)) identifyHash(hash);
          },
          nothingThrown,
        );
      }),
      fuzzParameters(2),
    );
  });

  it('hash identification of any field', () => {
    const hashes = [
      '$6$rounds=5000$salt$' + 'b'.repeat(86),
      '$y$j9T$salt$hash',
      '$2b$12$' + 'c'.repeat(53),
      'abcdefghijklm',
      '$5$$',
      '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    ];
    fc.assert(
      fc.property(textInputs(hashes), (hash) => {
        boundedCall('identifyHash', hash, () => identifyHash(hash), nothingThrown);
      }),
      fuzzParameters(2),
    );
  });
});
