import type { ScanPolicy } from '@drydock/server';
import { withClient, type ClientCommandOptions } from './client-context.ts';
import { formatTime, printRows, type OutputFormat } from './output.ts';

type Formatted = ClientCommandOptions & { readonly format: OutputFormat };

function policyRows(policy: ScanPolicy | undefined) {
  if (!policy) return [['enabled', 'no policy']];
  return [
    ['enabled', policy.enabled ? 'yes' : 'no'],
    ['every', `${policy.periodDays} days`],
    ['window', `${policy.windowStart}–${policy.windowEnd} ${policy.timeZone}`],
    ['risk types', policy.riskTypes.join(', ')],
    ['speed limit', policy.speedLimit === 0 ? 'unlimited' : `${policy.speedLimit} images/hour/registry`],
    ['updated within', policy.updatedWithinDays === 0 ? 'all images' : `${policy.updatedWithinDays} days`],
    ['registries', policy.connectionIds.length === 0 ? 'all' : policy.connectionIds.join(', ')],
    ['last run', formatTime(policy.lastRunAt)],
    ['next run', formatTime(policy.nextRunAt)],
  ];
}

export async function runPolicyShow(options: Formatted): Promise<number> {
  return withClient(options, async (client, project) => {
    const policy = await client.getPolicy(project.id);
    printRows(options.format, policy ?? null, ['setting', 'value'], policyRows(policy));
    return 0;
  });
}

export interface PolicySetOptions extends Formatted {
  readonly enable?: boolean;
  readonly every?: string;
  readonly window?: string;
  readonly riskTypes?: string;
  readonly speedLimit?: string;
  readonly updatedWithin?: string;
  readonly registry: string[];
  readonly timeZone?: string;
}

/** `drydock policy set`: changes the given settings of the project's scheduled scan policy. */
export async function runPolicySet(options: PolicySetOptions): Promise<number> {
  return withClient(options, async (client, project) => {
    if (options.timeZone) await client.setTimeZone(project.id, options.timeZone);
    const current = await client.getPolicy(project.id);
    const [windowStart, windowEnd] = options.window
      ? options.window.split('-')
      : [current?.windowStart, current?.windowEnd];
    const connectionIds =
      options.registry.length > 0
        ? await Promise.all(
            options.registry.map(async (name) => (await client.findRegistry(project.id, name)).id),
          )
        : current?.connectionIds;
    const policy = await client.setPolicy(project.id, {
      enabled: options.enable ?? current?.enabled ?? true,
      periodDays: options.every ? Number(options.every) : (current?.periodDays ?? 1),
      ...(windowStart ? { windowStart } : {}),
      ...(windowEnd ? { windowEnd } : {}),
      ...(options.riskTypes
        ? { riskTypes: options.riskTypes.split(',') }
        : current
          ? { riskTypes: [...current.riskTypes] }
          : {}),
      ...(options.speedLimit !== undefined
        ? { speedLimit: Number(options.speedLimit) }
        : current
          ? { speedLimit: current.speedLimit }
          : {}),
      ...(options.updatedWithin !== undefined
        ? { updatedWithinDays: Number(options.updatedWithin) }
        : current
          ? { updatedWithinDays: current.updatedWithinDays }
          : {}),
      ...(connectionIds ? { connectionIds: [...connectionIds] } : {}),
    });
    printRows(options.format, policy, ['setting', 'value'], policyRows(policy));
    return 0;
  });
}

/** `drydock policy disable`: stops scheduled scans and keeps the policy's settings. */
export async function runPolicyDisable(options: Formatted): Promise<number> {
  return withClient(options, async (client, project) => {
    await client.disablePolicy(project.id);
    const policy = await client.getPolicy(project.id);
    printRows(options.format, policy ?? null, ['setting', 'value'], policyRows(policy));
    return 0;
  });
}
