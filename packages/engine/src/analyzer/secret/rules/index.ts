import type { ContentRule, FileRule } from '../rule.ts';
import { cloudRules } from './cloud.ts';
import { binaryCredentialFileRules, credentialFileRules } from './credential-files.ts';
import { databaseRules } from './database.ts';
import { genericRules } from './generic.ts';
import { passwordRules } from './passwords.ts';
import { privateKeyRules } from './private-keys.ts';
import { saasRules } from './saas.ts';

/**
 * The built-in content rules, most specific first: where two rules match overlapping text (an npm
 * token in `.npmrc`, a GitHub token in a `.env`), the earlier rule's finding is kept.
 */
export const builtinContentRules: readonly ContentRule[] = [
  ...credentialFileRules,
  ...saasRules,
  ...cloudRules,
  ...privateKeyRules,
  ...databaseRules,
  ...passwordRules,
  ...genericRules,
];

export const builtinFileRules: readonly FileRule[] = binaryCredentialFileRules;
