import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { historyEvidence } from './history-evidence.ts';
import { packageCommand, type PackageCommand } from './history-package-command.ts';
import type { RunStep } from './history-run-steps.ts';
import { commandName, unwrapCommand } from './history-shell-commands.ts';

/** A package manager whose downloads or indexes a RUN leaves in its layer. */
export type LeftCache = 'apt lists' | 'pip cache' | 'apk cache' | 'yum/dnf cache';

/** `rm` of a path under one of these directories (with or without a glob). */
function removes(words: readonly string[], directory: RegExp): boolean {
  return commandName(words[0]) === 'rm' && words.slice(1).some((word) => directory.test(word));
}

/** PIP_NO_CACHE_DIR set to a value pip reads as true. */
function pipCacheOff(assignment: string): boolean {
  const match = /^PIP_NO_CACHE_DIR=(.*)$/.exec(assignment);
  return match !== null && !/^(?:|0|false|no|off)$/i.test(match[1] ?? '');
}

/**
 * The caches a RUN leaves behind: apt-get install without removing /var/lib/apt/lists (or `apt-get
 * distclean`), pip install without --no-cache-dir (or PIP_NO_CACHE_DIR, or removing ~/.cache/pip), apk
 * add without --no-cache (or removing /var/cache/apk), yum/dnf install without `clean all` (or removing
 * /var/cache/yum or dnf). `environment` holds the image's ENV entries, which apply to every RUN.
 */
export function leftCaches(run: RunStep, environment: readonly string[]): LeftCache[] {
  const commands = run.commands.map((command) => ({
    words: unwrapCommand(command.words).command,
    assignments: command.assignments,
  }));
  const packages = commands
    .map((command) => packageCommand(command.words))
    .filter((command): command is PackageCommand => command !== undefined);
  const installs = (manager: PackageCommand['manager'][]) =>
    packages.some((command) => manager.includes(command.manager) && command.action === 'install');
  const cleans = (manager: PackageCommand['manager'][], directory: RegExp) =>
    packages.some((command) => manager.includes(command.manager) && command.action === 'clean') ||
    commands.some((command) => removes(command.words, directory));
  const left: LeftCache[] = [];

  if (
    installs(['apt']) &&
    !commands.some((command) => removes(command.words, /^\/?var\/lib\/apt\/lists(?:\/|$)/))
  ) {
    const distclean = packages.some(
      (command) => command.manager === 'apt' && /^dist-?clean$/.test(command.subcommand),
    );
    if (!distclean) left.push('apt lists');
  }
  const pipInstalls = packages.filter((command) => command.manager === 'pip' && command.action === 'install');
  if (pipInstalls.length > 0) {
    const noCache =
      pipInstalls.every((command) =>
        [...command.globalOptions, ...command.arguments].includes('--no-cache-dir'),
      ) ||
      [...environment, ...commands.flatMap((command) => command.assignments)].some(pipCacheOff) ||
      run.step.instruction.buildArguments.some((arg) => pipCacheOff(`${arg.name}=${arg.value}`)) ||
      packages.some((command) => command.manager === 'pip' && command.subcommand === 'cache') ||
      commands.some((command) => removes(command.words, /\.cache(?:\/pip)?\/?(?:\*)?$/));
    if (!noCache) left.push('pip cache');
  }
  const apkAdds = packages.filter((command) => command.manager === 'apk' && command.action === 'install');
  if (
    apkAdds.length > 0 &&
    !apkAdds.every((command) => [...command.globalOptions, ...command.arguments].includes('--no-cache')) &&
    !cleans(['apk'], /^\/?var\/cache\/apk(?:\/|$)/)
  )
    left.push('apk cache');
  if (installs(['yum', 'dnf']) && !cleans(['yum', 'dnf'], /^\/?var\/cache\/(?:yum|dnf)(?:\/|$)/))
    left.push('yum/dnf cache');
  return left;
}

/**
 * Drydock (after Docker's Dockerfile best practices): package managers' caches and indexes removed in
 * the RUN that made them. Left behind, they enlarge the image for nothing and carry package indexes
 * that go stale. A cache removed in a later RUN still ships in the earlier layer, so only the same
 * instruction counts. Cache mounts (RUN --mount=type=cache) leave nothing in the layer and pass.
 */
export function packageCacheCheck(
  runs: readonly RunStep[],
  environment: readonly string[],
  rules: SecretRuleSet,
): BaselineCheckResult {
  const found = runs
    .filter((run) => !/--mount=[^\s]*type=cache/.test(run.step.createdBy))
    .map((run) => ({ run, left: leftCaches(run, environment) }))
    .filter((item) => item.left.length > 0);
  return {
    id: 'drydock-package-cache-left',
    title: 'Package manager caches removed in the same step',
    area: 'build-history',
    severity: 'low',
    standard: 'Drydock',
    result: found.length > 0 ? 'fail' : 'pass',
    current:
      found.length > 0
        ? found
            .map((item) => `${item.left.join(', ')} left in config:history/${item.run.step.index}`)
            .join('; ')
        : 'no package cache left behind',
    suggested:
      'apt-get install ... && rm -rf /var/lib/apt/lists/*; pip install --no-cache-dir; apk add --no-cache; dnf install ... && dnf clean all',
    remediation:
      'End each installing RUN by removing what the package manager kept (rm -rf /var/lib/apt/lists/*, dnf clean all), or stop it keeping anything (pip --no-cache-dir, apk --no-cache), or use a BuildKit cache mount.',
    evidence: found.map((item) => historyEvidence(rules, item.run.step)),
  };
}
