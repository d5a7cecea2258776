import type { VersionScheme } from '../scheme.ts';
import { compareRpmVersions } from './compare.ts';
import { isValidRpmEvr } from './parse-evr.ts';

/** RPM package versions, `[epoch:]version[-release]` (rpm 4.18's ordering). See readme.md. */
export const rpmScheme: VersionScheme = {
  id: 'rpm',
  isValid: isValidRpmEvr,
  compare: compareRpmVersions,
};
