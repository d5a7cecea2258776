/**
 * The account and password baseline checks over etc/passwd, etc/shadow, etc/group and
 * etc/gshadow: one result per check, always (`not_applicable` when the file a check reads is
 * absent). `now` decides which password change dates lie in the future.
 */
import { readAccountDatabases } from './accounts-database.ts';
import {
  duplicateGidsCheck,
  duplicateGroupNamesCheck,
  duplicateUidsCheck,
  duplicateUserNamesCheck,
  legacyNisCheck,
  passwdShadowMismatchCheck,
  primaryGroupMissingCheck,
  privilegedMembersCheck,
  rootPrimaryGroupCheck,
  uidZeroCheck,
} from './accounts-identity-checks.ts';
import {
  emptyPasswordsCheck,
  futureChangeCheck,
  passwordAgeingCheck,
  shadowedPasswordsCheck,
  sharedHashesCheck,
  weakHashesCheck,
} from './accounts-password-checks.ts';
import type { BaselineCheckResult } from './check-result.ts';
import type { SystemFiles } from './system-files.ts';

export function accountChecks(files: SystemFiles, now: Date): BaselineCheckResult[] {
  const databases = readAccountDatabases(files);
  return [
    duplicateUserNamesCheck(databases),
    duplicateUidsCheck(databases),
    duplicateGroupNamesCheck(databases),
    duplicateGidsCheck(databases),
    uidZeroCheck(databases),
    rootPrimaryGroupCheck(databases),
    legacyNisCheck(databases),
    primaryGroupMissingCheck(databases),
    privilegedMembersCheck(databases),
    passwdShadowMismatchCheck(databases),
    shadowedPasswordsCheck(databases),
    emptyPasswordsCheck(databases),
    weakHashesCheck(databases),
    sharedHashesCheck(databases),
    passwordAgeingCheck(databases),
    futureChangeCheck(databases, now),
  ];
}
