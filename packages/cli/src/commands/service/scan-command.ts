import { createInterface } from 'node:readline/promises';
import cliProgress from 'cli-progress';
import {
  formatMoney,
  registryTypes,
  riskTypes,
  type RegistryType,
  type RiskType,
  type ScanScope,
} from '@drydock/server';
import { withClient, type ClientCommandOptions } from './client-context.ts';
import { formatTime, printRows, type OutputFormat } from './output.ts';
import type { ServiceClient, TaskView } from './service-client.ts';
import { taskHeader, taskRow } from './task-rows.ts';

export interface ScanCommandOptions extends ClientCommandOptions {
  readonly all?: boolean;
  readonly registryType: string[];
  readonly registry: string[];
  readonly image: string[];
  readonly filter?: string;
  readonly riskTypes?: string;
  readonly speedLimit?: string;
  readonly estimateOnly?: boolean;
  readonly estimate?: string;
  readonly acceptFee?: boolean;
  readonly wait?: boolean;
  readonly workers?: string;
  readonly progress?: boolean;
  readonly format: OutputFormat;
}

class UsageError extends Error {}

function isRegistryType(name: string): name is RegistryType {
  return (registryTypes as readonly string[]).includes(name);
}

async function scopeOf(
  client: ServiceClient,
  projectId: string,
  options: ScanCommandOptions,
): Promise<ScanScope> {
  const chosen = [
    options.all,
    options.registryType.length > 0,
    options.registry.length > 0,
    options.image.length > 0,
    options.filter !== undefined,
  ].filter(Boolean).length;
  if (chosen !== 1)
    throw new UsageError('choose one scope: --all, --registry-type, --registry, --image or --filter');
  if (options.all) return { kind: 'all' };
  if (options.registryType.length > 0) {
    const unknown = options.registryType.filter((name) => !isRegistryType(name));
    if (unknown.length > 0)
      throw new UsageError(
        `unknown registry types ${unknown.join(', ')} (choose from ${registryTypes.join(', ')})`,
      );
    return { kind: 'registry_types', types: options.registryType.filter(isRegistryType) };
  }
  if (options.registry.length > 0) {
    const ids = await Promise.all(
      options.registry.map(async (name) => (await client.findRegistry(projectId, name)).id),
    );
    return { kind: 'registries', connectionIds: ids };
  }
  if (options.filter !== undefined) return { kind: 'filter', filter: { name: options.filter } };
  // --image takes image ids or repository:tag names as `drydock images` lists them.
  const ids: string[] = [];
  for (const wanted of options.image) {
    const page = await client.images(projectId, { name: wanted, limit: 1000 });
    const exact = page.images.filter(
      (image) => image.id === wanted || `${image.repository}:${image.tag}` === wanted,
    );
    if (exact.length === 0) throw new UsageError(`no image ${wanted} in the image list (run drydock sync)`);
    ids.push(...exact.map((image) => image.id));
  }
  return { kind: 'images', imageIds: ids };
}

function riskTypesOf(text: string | undefined): RiskType[] | undefined {
  if (!text) return undefined;
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(riskTypes as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new UsageError(`unknown risk types ${unknown.join(', ')} (choose from ${riskTypes.join(', ')})`);
  return names as RiskType[];
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Follows a task until it ends: a local service runs its dispatcher between reads, a running
 * service is only read. Ctrl-C stops the task (and the wait ends with the task's final status).
 */
async function waitForTask(
  client: ServiceClient,
  projectId: string,
  taskId: string,
  progress: boolean,
): Promise<TaskView> {
  const bar =
    progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: 'scanning [{bar}] {value}/{total} images | {status}', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  let task = await client.getTask(projectId, taskId);
  bar?.start(task.counts.total, 0, { status: task.status });
  const stop = () => void client.stopTask(projectId, taskId).catch(() => undefined);
  process.once('SIGINT', stop);
  try {
    while (task.status === 'running' || task.status === 'stopping') {
      await client.advance();
      await new Promise((resolve) => setTimeout(resolve, 500));
      task = await client.getTask(projectId, taskId);
      bar?.update(task.counts.succeeded + task.counts.failed + task.counts.terminated, {
        status: task.status,
      });
    }
  } finally {
    process.removeListener('SIGINT', stop);
    bar?.stop();
  }
  return task;
}

/**
 * `drydock scan`: estimates the fee of a scope, and starts the task once the fee is confirmed
 * (`--estimate ID`, `--accept-fee`, or a yes on a terminal). `--wait` returns when the task ends;
 * on a local database it runs the scans in this process, with `--server` the service's workers do.
 */
export async function runScan(options: ScanCommandOptions): Promise<number> {
  const workers = options.wait ? Math.max(1, Number(options.workers ?? 2)) : 0;
  try {
    return await withClient(
      options,
      async (client, project) => {
        const request = {
          scope: await scopeOf(client, project.id, options),
          ...(riskTypesOf(options.riskTypes) ? { riskTypes: riskTypesOf(options.riskTypes) } : {}),
          ...(options.speedLimit !== undefined ? { speedLimit: Number(options.speedLimit) } : {}),
        };
        let estimateId = options.estimate;
        if (!estimateId && !options.acceptFee) {
          const estimate = await client.estimate(project.id, request);
          const text = `${estimate.images} images, ${estimate.units} scans (${estimate.freeUnits} free): ${formatMoney(estimate.amountMicros, estimate.currency)}; estimate ${estimate.id}, valid until ${formatTime(estimate.expiresAt)}`;
          if (options.estimateOnly || options.format === 'json') {
            printRows(options.format, estimate, ['estimate'], [[text]]);
            if (options.estimateOnly) return 0;
          } else process.stderr.write(`${text}\n`);
          if (!(await confirm('Start the scan? [y/N] '))) {
            process.stderr.write('not started: confirm with --estimate ID or --accept-fee\n');
            return 1;
          }
          estimateId = estimate.id;
        }
        const task = await client.startScan(project.id, {
          ...request,
          ...(estimateId ? { estimateId } : { acceptFee: true }),
        });
        const final = options.wait
          ? await waitForTask(client, project.id, task.id, options.progress !== false)
          : task;
        printRows(options.format, final, taskHeader, [taskRow(final)]);
        return final.counts.failed > 0 ? 1 : 0;
      },
      { workers },
    );
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`drydock scan: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
