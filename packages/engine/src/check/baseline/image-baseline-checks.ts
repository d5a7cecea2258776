import type { BaselineCheckResult } from './check-result.ts';
import { addInsteadOfCopyCheck } from './history-add-instead-of-copy.ts';
import { baseImagePinCheck } from './history-base-image-pin.ts';
import { historySteps } from './history-instruction.ts';
import { packageCacheCheck } from './history-package-cache.ts';
import { remoteScriptCheck } from './history-remote-script.ts';
import { runSteps } from './history-run-steps.ts';
import { sudoCheck } from './history-sudo.ts';
import { tlsVerificationCheck } from './history-tls-verification.ts';
import { updateWithoutInstallCheck } from './history-update-without-install.ts';
import { worldWritableCheck } from './history-world-writable.ts';
import type { ImageBaselineInput } from './image-baseline-input.ts';
import { sensitivePortsCheck } from './image-exposed-ports.ts';
import { healthcheckCheck } from './image-healthcheck.ts';
import { configSecretsCheck } from './image-secrets.ts';
import { setuidSetgidCheck } from './image-setuid-setgid.ts';
import { latestTagCheck } from './image-tag.ts';
import { nonRootUserCheck } from './image-user.ts';

export type { ImageBaselineInput } from './image-baseline-input.ts';

/**
 * The baseline checks over an image's configuration and build history, one result per check whether
 * it passes, fails or does not apply, always in this order: the CIS Docker Benchmark 1.6.0 §4 checks
 * by section, then Drydock's own. Pure: it reads only its input.
 */
export function imageBaselineChecks(input: ImageBaselineInput): BaselineCheckResult[] {
  const { config, secretRules: rules } = input;
  const steps = historySteps(config.history);
  const runs = runSteps(steps);
  return [
    nonRootUserCheck(config.user),
    healthcheckCheck(config.healthcheck, rules),
    updateWithoutInstallCheck(runs, rules),
    setuidSetgidCheck(input.setuid, input.setgid),
    addInsteadOfCopyCheck(steps, rules),
    configSecretsCheck(config, rules),
    remoteScriptCheck(runs, rules),
    worldWritableCheck(runs, rules),
    sudoCheck(runs, rules),
    tlsVerificationCheck(runs, config.env, rules),
    packageCacheCheck(runs, config.env, rules),
    sensitivePortsCheck(config.exposedPorts),
    latestTagCheck(input.reference),
    baseImagePinCheck(steps, config.labels, rules),
  ];
}
