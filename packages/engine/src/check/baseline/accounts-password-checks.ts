/**
 * Baseline checks on the accounts' passwords as stored: hashes kept in shadow, no empty password,
 * no weak or shared hash, an expiry for every usable password and no change date in the future.
 * Hashes appear in evidence only masked (scheme and at most two salt characters).
 */
import { credentials, type AccountDatabases, type Credential } from './accounts-database.ts';
import { passwdPath, shadowPath } from './accounts-files.ts';
import {
  cisDebian12,
  evidence,
  judge,
  notApplicable,
  type CheckDefinition,
} from './accounts-check-outcome.ts';
import { hashOf, type PasswordHash } from './accounts-password-field.ts';
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';

/** shadow(5) ageing values at or above this mean "never" in practice (the tools' default is 99999). */
const neverExpires = 99999;
const msPerDay = 24 * 60 * 60 * 1000;

function countBy(items: readonly Credential[], kind: Credential['field']['kind']): number {
  return items.filter((item) => item.field.kind === kind).length;
}

function lockedSuffix(item: Credential): string {
  return item.field.kind === 'locked' ? ' (locked)' : '';
}

const shadowedPasswords: CheckDefinition = {
  id: 'accounts-shadowed-passwords',
  title: 'Password hashes are in etc/shadow, not etc/passwd',
  area: 'accounts',
  severity: 'medium',
  standard: `${cisDebian12} §7.2.1`,
  suggested: "'x' in every etc/passwd password field",
  remediation:
    'Run pwconv to move the password fields into etc/shadow; etc/passwd is readable by every user and process.',
};

export function shadowedPasswordsCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(shadowedPasswords, `no ${passwdPath}`);
  const failures = databases.passwd
    .filter((entry) => !entry.nis && entry.password !== 'x')
    .map((entry) => {
      const what = entry.password === '' ? 'an empty password field' : 'its password field in etc/passwd';
      return evidence(entry, `${entry.name} has ${what}`);
    });
  return judge(shadowedPasswords, failures, {
    pass: "every account has 'x' in etc/passwd",
    fail: `${failures.length} accounts keep their password field in etc/passwd`,
  });
}

const emptyPasswords: CheckDefinition = {
  id: 'accounts-empty-passwords',
  title: 'No account has an empty password',
  area: 'accounts',
  severity: 'critical',
  standard: `${cisDebian12} §7.2.2`,
  suggested: "a password hash or a lock ('!' or '*') in every password field",
  remediation:
    "Lock the accounts (passwd -l, or '*' in the password field) or set a password; an empty field lets anyone log in as that account wherever nullok is allowed.",
};

export function emptyPasswordsCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(emptyPasswords, `no ${passwdPath}`);
  const items = credentials(databases);
  const failures = items
    .filter((item) => item.field.kind === 'empty')
    .map((item) => evidence(item, `${item.account.name}: empty password field`));
  const locked = countBy(items, 'locked') + countBy(items, 'invalid');
  return judge(emptyPasswords, failures, {
    pass: `no empty password fields; ${locked} locked, ${countBy(items, 'hash')} with a password hash`,
    fail: `${failures.length} accounts with an empty password field`,
  });
}

const weakHashes: CheckDefinition = {
  id: 'accounts-weak-password-hashes',
  title: 'No password hashed with a weak algorithm',
  area: 'accounts',
  severity: 'high',
  standard: 'Drydock',
  suggested: 'yescrypt ($y$), sha512crypt ($6$) or bcrypt ($2b$)',
  remediation:
    'Set these passwords again with a strong method (ENCRYPT_METHOD YESCRYPT or SHA512 in etc/login.defs, the yescrypt or sha512 option of pam_unix), or lock the accounts.',
};

export function weakHashesCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(weakHashes, `no ${passwdPath}`);
  const failures: BaselineEvidence[] = [];
  for (const item of credentials(databases)) {
    const hash = hashOf(item.field);
    if (!hash?.weakness) continue;
    failures.push(
      evidence(item, `${item.account.name}${lockedSuffix(item)}: ${hash.masked} — ${hash.weakness}`),
    );
  }
  return judge(weakHashes, failures, {
    pass: 'no weak password hashes',
    fail: `${failures.length} password hashes of weak algorithms`,
  });
}

const sharedHashes: CheckDefinition = {
  id: 'accounts-shared-password-hashes',
  title: 'No two accounts share a password hash',
  area: 'accounts',
  severity: 'high',
  standard: 'Drydock',
  suggested: 'a hash of its own (own salt) for every account',
  remediation:
    'Set a new password for each of these accounts; an identical hash means the same password and salt, usually a shadow line copied from another account or image.',
};

export function sharedHashesCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(sharedHashes, `no ${passwdPath}`);
  const byHash = new Map<string, { readonly hash: PasswordHash; readonly items: Credential[] }>();
  for (const item of credentials(databases)) {
    const hash = hashOf(item.field);
    if (!hash) continue;
    const group = byHash.get(hash.value) ?? { hash, items: [] };
    group.items.push(item);
    byHash.set(hash.value, group);
  }
  const failures: BaselineEvidence[] = [];
  for (const { hash, items } of byHash.values()) {
    if (items.length < 2) continue;
    const names = items.map((item) => item.account.name).join(', ');
    for (const item of items) {
      failures.push(
        evidence(item, `${item.account.name}${lockedSuffix(item)}: ${hash.masked} shared by ${names}`),
      );
    }
  }
  return judge(sharedHashes, failures, {
    pass: 'every password hash is unique',
    fail: `${failures.length} accounts share a password hash`,
  });
}

const passwordAgeing: CheckDefinition = {
  id: 'accounts-password-ageing',
  title: 'Every password has a maximum age',
  area: 'accounts',
  severity: 'low',
  standard: 'Drydock',
  suggested:
    'a maximum age (shadow field 5) for each account with a password, 365 days or less by CIS §5.4.1.1',
  remediation: 'Set a maximum age for each account with a password (chage --maxdays 365 NAME).',
};

export function passwordAgeingCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(passwordAgeing, `no ${passwdPath}`);
  const usable = credentials(databases).filter((item) => item.field.kind === 'hash');
  const failures: BaselineEvidence[] = [];
  for (const item of usable) {
    const shadow = item.shadow;
    if (!shadow) {
      failures.push(
        evidence(item, `${item.account.name}: password in etc/passwd, which has no ageing fields`),
      );
    } else if (shadow.maxDays === undefined || shadow.maxDays >= neverExpires) {
      const value = shadow.maxDays === undefined ? 'empty' : String(shadow.maxDays);
      failures.push(evidence(shadow, `${item.account.name}: maximum age ${value} (never expires)`));
    }
  }
  return judge(passwordAgeing, failures, {
    pass:
      usable.length === 0
        ? 'no account has a usable password'
        : `all ${usable.length} accounts with a password have a maximum age`,
    fail: `${failures.length} of ${usable.length} accounts with a password never have to change it`,
  });
}

const futureChange: CheckDefinition = {
  id: 'accounts-password-change-in-future',
  title: 'No last password change date in the future',
  area: 'accounts',
  severity: 'low',
  standard: `${cisDebian12} §5.4.1.6`,
  suggested: 'a last change date (shadow field 3) no later than today',
  remediation:
    'Correct the dates (chage --lastday YYYY-MM-DD NAME); a future date postpones expiry and suggests a tampered or badly built shadow file.',
};

export function futureChangeCheck(databases: AccountDatabases, now: Date): BaselineCheckResult {
  if (!databases.shadow) return notApplicable(futureChange, `no ${shadowPath}`);
  const today = Math.floor(now.getTime() / msPerDay);
  const failures = databases.shadow
    .filter((entry) => !entry.nis && entry.lastChange !== undefined && entry.lastChange > today)
    .map((entry) => {
      const date = new Date((entry.lastChange ?? 0) * msPerDay).toISOString().slice(0, 10);
      return evidence(entry, `${entry.name}: last changed ${date} (day ${entry.lastChange})`);
    });
  return judge(futureChange, failures, {
    pass: `no change date after ${new Date(today * msPerDay).toISOString().slice(0, 10)}`,
    fail: `${failures.length} accounts changed their password after ${new Date(today * msPerDay).toISOString().slice(0, 10)}`,
  });
}
