/**
 * The secret module's public surface, for the engine index to re-export.
 */
export { SecretScanner, type FileToScan, type SecretScannerOptions } from './scanner.ts';
export { compileSecretRules, type SecretRuleSet } from './rule-set.ts';
export { defaultMaxFileBytes, type CustomRuleSpec, type SecretScanConfig } from './scan-config.ts';
export { scanFile as scanFileForSecrets } from './scan-file.ts';
export { scanImageConfig, type ImageConfigInput } from './image-config.ts';
export { maskSecret } from './mask.ts';
export type { SecretFileResult, SecretMatch, SecretSkipReason } from './secret-match.ts';
export type { SecretCategory, SecretSeverity } from './rule.ts';
export { parseSecretConfig } from './project-config.ts';
export { SecretConfigError, isSecretConfigError, type SecretConfigErrorCode } from './config-error.ts';
