/**
 * Baseline checks on who the accounts and groups are: unique names and ids, a single UID 0, no
 * NIS compat entries, primary groups that exist, members of privileged groups, and passwd and
 * shadow describing the same accounts. Each function returns exactly one result.
 */
import type { AccountDatabases } from './accounts-database.ts';
import { groupPath, passwdPath, shadowPath, type AccountLine } from './accounts-files.ts';
import {
  cisDebian12,
  evidence,
  judge,
  notApplicable,
  type CheckDefinition,
} from './accounts-check-outcome.ts';
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';

/**
 * Traditional system accounts whose primary group is root (Alpine, Red Hat): the CIS benchmarks
 * exempt them from "only root has GID 0" too.
 */
const rootGroupExceptions: readonly string[] = ['sync', 'shutdown', 'halt', 'operator'];

/** Groups whose members can become root or read every password hash. */
export const privilegedGroups: readonly string[] = [
  'root',
  'sudo',
  'wheel',
  'adm',
  'shadow',
  'docker',
  'disk',
];

/** Every entry after the first that repeats a key, with the first entry's line for context. */
function repeats<T extends AccountLine>(
  entries: readonly T[],
  key: (entry: T) => string | number | undefined,
  describe: (entry: T, first: T) => string,
): BaselineEvidence[] {
  const first = new Map<string | number, T>();
  const found: BaselineEvidence[] = [];
  for (const entry of entries) {
    const value = key(entry);
    if (entry.nis || value === undefined) continue;
    const earlier = first.get(value);
    if (earlier) found.push(evidence(entry, describe(entry, earlier)));
    else first.set(value, entry);
  }
  return found;
}

const duplicateUserNames: CheckDefinition = {
  id: 'accounts-duplicate-user-names',
  title: 'User names are unique',
  area: 'accounts',
  severity: 'high',
  standard: `${cisDebian12} §7.2.7`,
  suggested: 'each user name once in etc/passwd and etc/shadow',
  remediation:
    'Remove or rename the repeated entries; tools act on the first entry of a name and ignore the rest.',
};

export function duplicateUserNamesCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(duplicateUserNames, `no ${passwdPath}`);
  const describe = (entry: AccountLine, first: AccountLine) => `${entry.name} (also line ${first.line})`;
  const failures = [
    ...repeats(databases.passwd, (entry) => entry.name, describe),
    ...repeats(databases.shadow ?? [], (entry) => entry.name, describe),
  ];
  return judge(duplicateUserNames, failures, {
    pass: 'every user name is unique',
    fail: `${failures.length} repeated user name entries`,
  });
}

const duplicateUids: CheckDefinition = {
  id: 'accounts-duplicate-uids',
  title: 'UIDs are unique',
  area: 'accounts',
  severity: 'high',
  standard: `${cisDebian12} §7.2.5`,
  suggested: 'one account per UID',
  remediation:
    'Give each account its own UID (usermod -u) and re-own its files; accounts sharing a UID share every file and privilege.',
};

export function duplicateUidsCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(duplicateUids, `no ${passwdPath}`);
  const failures = repeats(
    databases.passwd,
    (entry) => entry.uid,
    (entry, first) => `${entry.name} has UID ${entry.uid}, as ${first.name} has`,
  );
  return judge(duplicateUids, failures, {
    pass: 'every UID is unique',
    fail: `${failures.length} accounts reuse a UID`,
  });
}

const duplicateGroupNames: CheckDefinition = {
  id: 'accounts-duplicate-group-names',
  title: 'Group names are unique',
  area: 'accounts',
  severity: 'medium',
  standard: `${cisDebian12} §7.2.8`,
  suggested: 'each group name once in etc/group and etc/gshadow',
  remediation: 'Remove or rename the repeated group entries.',
};

export function duplicateGroupNamesCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.group) return notApplicable(duplicateGroupNames, `no ${groupPath}`);
  const describe = (entry: AccountLine, first: AccountLine) => `${entry.name} (also line ${first.line})`;
  const failures = [
    ...repeats(databases.group, (entry) => entry.name, describe),
    ...repeats(databases.gshadow ?? [], (entry) => entry.name, describe),
  ];
  return judge(duplicateGroupNames, failures, {
    pass: 'every group name is unique',
    fail: `${failures.length} repeated group name entries`,
  });
}

const duplicateGids: CheckDefinition = {
  id: 'accounts-duplicate-gids',
  title: 'GIDs are unique',
  area: 'accounts',
  severity: 'medium',
  standard: `${cisDebian12} §7.2.6`,
  suggested: 'one group per GID',
  remediation: 'Give each group its own GID (groupmod -g) and re-own its files.',
};

export function duplicateGidsCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.group) return notApplicable(duplicateGids, `no ${groupPath}`);
  const failures = repeats(
    databases.group,
    (entry) => entry.gid,
    (entry, first) => `${entry.name} has GID ${entry.gid}, as ${first.name} has`,
  );
  return judge(duplicateGids, failures, {
    pass: 'every GID is unique',
    fail: `${failures.length} groups reuse a GID`,
  });
}

const uidZero: CheckDefinition = {
  id: 'accounts-uid0-besides-root',
  title: 'Root is the only UID 0 account',
  area: 'accounts',
  severity: 'critical',
  standard: `${cisDebian12} §5.4.2.1`,
  suggested: 'only root has UID 0',
  remediation: 'Give the other accounts a UID of their own, or remove them; UID 0 is root whatever the name.',
};

export function uidZeroCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(uidZero, `no ${passwdPath}`);
  const failures = databases.passwd
    .filter((entry) => !entry.nis && entry.uid === 0 && entry.name !== 'root')
    .map((entry) => evidence(entry, `${entry.name} has UID 0`));
  return judge(uidZero, failures, {
    pass: 'only root has UID 0',
    fail: `UID 0 also for ${failures.length} other accounts`,
  });
}

const legacyNis: CheckDefinition = {
  id: 'accounts-legacy-nis-entries',
  title: "No legacy '+' or '-' NIS entries",
  area: 'accounts',
  severity: 'medium',
  standard: 'Drydock',
  suggested: "no '+' or '-' lines in etc/passwd, etc/shadow, etc/group or etc/gshadow",
  remediation:
    "Remove the '+'/'-' lines; with NIS compat lookups configured they pull in accounts from a directory the image does not control.",
};

export function legacyNisCheck(databases: AccountDatabases): BaselineCheckResult {
  const all: readonly (readonly AccountLine[] | undefined)[] = [
    databases.passwd,
    databases.shadow,
    databases.group,
    databases.gshadow,
  ];
  if (all.every((entries) => entries === undefined)) return notApplicable(legacyNis, 'no account databases');
  const failures = all
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.nis)
    .map((entry) =>
      evidence(entry, entry.name === '+' || entry.name === '-' ? `${entry.name} (all)` : entry.name),
    );
  return judge(legacyNis, failures, {
    pass: 'no NIS compat entries',
    fail: `${failures.length} NIS compat entries`,
  });
}

const primaryGroupMissing: CheckDefinition = {
  id: 'accounts-primary-group-missing',
  title: 'Every primary group exists in etc/group',
  area: 'accounts',
  severity: 'low',
  standard: `${cisDebian12} §7.2.3`,
  suggested: "each account's GID defined in etc/group",
  remediation:
    "Add the missing groups (groupadd -g) or change the accounts' primary group; a group created later with that GID would own their files.",
};

export function primaryGroupMissingCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(primaryGroupMissing, `no ${passwdPath}`);
  if (!databases.group) return notApplicable(primaryGroupMissing, `no ${groupPath}`);
  const gids = new Set(databases.group.filter((group) => !group.nis).map((group) => group.gid));
  const failures = databases.passwd
    .filter((entry) => !entry.nis && entry.gid !== undefined && !gids.has(entry.gid))
    .map((entry) => evidence(entry, `${entry.name}: GID ${entry.gid} is in no group`));
  return judge(primaryGroupMissing, failures, {
    pass: 'every primary GID is a group',
    fail: `${failures.length} accounts have a primary GID that is no group`,
  });
}

const rootPrimaryGroup: CheckDefinition = {
  id: 'accounts-root-primary-group',
  title: "Root's primary group is GID 0",
  area: 'accounts',
  severity: 'medium',
  standard: `${cisDebian12} §5.4.2.2`,
  suggested: 'root:x:0:0',
  remediation:
    "Set root's primary group to 0 (usermod -g 0 root); files root creates would belong to another group.",
};

export function rootPrimaryGroupCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(rootPrimaryGroup, `no ${passwdPath}`);
  const root = databases.passwd.find((entry) => !entry.nis && entry.name === 'root');
  if (!root) return notApplicable(rootPrimaryGroup, 'no root account');
  const failures =
    root.gid === 0 ? [] : [evidence(root, `root has primary GID ${root.gid ?? '(not a number)'}`)];
  return judge(rootPrimaryGroup, failures, {
    pass: 'root has primary GID 0',
    fail: `root has primary GID ${root.gid ?? '(not a number)'}`,
  });
}

const privilegedMembers: CheckDefinition = {
  id: 'accounts-privileged-group-members',
  title: 'No other accounts in privileged groups',
  area: 'accounts',
  severity: 'medium',
  standard: 'Drydock',
  suggested: `no members besides root in ${privilegedGroups.join(', ')}`,
  remediation:
    'Remove the accounts from these groups (gpasswd -d) or change their primary group: sudo/wheel/docker/disk membership is root access, shadow and adm membership reads password hashes and logs.',
};

export function privilegedMembersCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.group) return notApplicable(privilegedMembers, `no ${groupPath}`);
  const privileged = databases.group.filter((group) => !group.nis && privilegedGroups.includes(group.name));
  const failures: BaselineEvidence[] = [];
  for (const group of privileged) {
    for (const member of group.members.filter((name) => name !== 'root')) {
      failures.push(evidence(group, `${member} is a member of ${group.name}`));
    }
    const shadowEntry = databases.gshadow?.find((entry) => !entry.nis && entry.name === group.name);
    for (const member of shadowEntry?.members.filter(
      (name) => name !== 'root' && !group.members.includes(name),
    ) ?? []) {
      failures.push(evidence(shadowEntry ?? group, `${member} is a member of ${group.name}`));
    }
    for (const account of databases.passwd ?? []) {
      if (account.nis || account.name === 'root' || account.gid === undefined || account.gid !== group.gid)
        continue;
      if (group.name === 'root' && rootGroupExceptions.includes(account.name)) continue;
      failures.push(evidence(account, `${account.name} has ${group.name} as primary group`));
    }
  }
  return judge(privilegedMembers, failures, {
    pass: `no accounts besides root in ${privileged.map((group) => group.name).join(', ') || 'any privileged group'}`,
    fail: `${failures.length} memberships of privileged groups`,
  });
}

const passwdShadowMismatch: CheckDefinition = {
  id: 'accounts-passwd-shadow-mismatch',
  title: 'etc/passwd and etc/shadow list the same accounts',
  area: 'accounts',
  severity: 'low',
  standard: 'Drydock',
  suggested: 'a shadow entry for every passwd entry and the reverse',
  remediation:
    'Run pwck to add the missing shadow entries (pwconv) and remove entries of accounts that no longer exist.',
};

export function passwdShadowMismatchCheck(databases: AccountDatabases): BaselineCheckResult {
  if (!databases.passwd) return notApplicable(passwdShadowMismatch, `no ${passwdPath}`);
  if (!databases.shadow) return notApplicable(passwdShadowMismatch, `no ${shadowPath}`);
  const local = <T extends AccountLine>(entries: readonly T[]) => entries.filter((entry) => !entry.nis);
  const inShadow = new Set(local(databases.shadow).map((entry) => entry.name));
  const inPasswd = new Set(local(databases.passwd).map((entry) => entry.name));
  const failures = [
    ...local(databases.passwd)
      .filter((entry) => !inShadow.has(entry.name))
      .map((entry) => evidence(entry, `${entry.name} has no ${shadowPath} entry`)),
    ...local(databases.shadow)
      .filter((entry) => !inPasswd.has(entry.name))
      .map((entry) => evidence(entry, `${entry.name} has no ${passwdPath} entry`)),
  ];
  return judge(passwdShadowMismatch, failures, {
    pass: 'the same accounts in both',
    fail: `${failures.length} accounts in only one of the two`,
  });
}
