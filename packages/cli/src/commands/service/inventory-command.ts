import type { SyncTask } from '@drydock/server';
import { withClient, type ClientCommandOptions } from './client-context.ts';
import { formatTime, printRows, type OutputFormat } from './output.ts';

type Formatted = ClientCommandOptions & { readonly format: OutputFormat };

function syncRow(task: SyncTask) {
  const { added, changed, deleted, unchanged, skipped = 0 } = task.counts;
  return [
    task.id.slice(0, 8),
    task.trigger,
    task.status,
    `+${added} ~${changed} -${deleted} =${unchanged}` + (skipped > 0 ? ` (${skipped} skipped)` : ''),
    task.errors
      .map(
        (error) =>
          `${error.image === undefined ? '' : `${error.image} skipped: `}${error.code}: ${error.message}`,
      )
      .join('; '),
    formatTime(task.startedAt),
    formatTime(task.finishedAt),
  ];
}
const syncHeader = ['task', 'trigger', 'status', 'images', 'errors', 'started', 'finished'];

/** `drydock sync [--registry NAME...]`: refreshes the image list now (metadata only). */
export async function runSync(options: Formatted & { readonly registry: string[] }): Promise<number> {
  return withClient(options, async (client, project) => {
    const ids = await Promise.all(
      options.registry.map(async (name) => (await client.findRegistry(project.id, name)).id),
    );
    const task = await client.sync(project.id, ids);
    printRows(options.format, task, syncHeader, [syncRow(task)]);
    return task.status === 'finished' ? 0 : 1;
  });
}

export async function runSyncList(options: Formatted): Promise<number> {
  return withClient(options, async (client, project) => {
    const tasks = await client.listSyncs(project.id);
    printRows(options.format, tasks, syncHeader, tasks.map(syncRow));
    return 0;
  });
}

/** `drydock images`: the repository image list with status and risk counts. */
export async function runImages(
  options: Formatted & {
    readonly name?: string;
    readonly registry?: string;
    readonly status?: string[];
    readonly limit?: string;
  },
): Promise<number> {
  return withClient(options, async (client, project) => {
    const registryIds = options.registry
      ? [(await client.findRegistry(project.id, options.registry)).id]
      : undefined;
    const page = await client.images(project.id, {
      ...(options.name ? { name: options.name } : {}),
      ...(registryIds ? { registryIds } : {}),
      ...(options.status?.length ? { status: options.status } : {}),
      limit: options.limit ? Number(options.limit) : 1000,
    });
    printRows(
      options.format,
      page,
      ['registry', 'image', 'platforms', 'status', 'risk', 'C/H/M/L', 'secrets', 'malware', 'pushed', 'id'],
      page.images.map((image) => {
        const v = image.riskCounts?.vulnerability;
        return [
          image.connectionName,
          `${image.repository}:${image.tag}`,
          image.platforms.map((entry) => entry.platform).join(' '),
          image.scanStatus + (image.failureCode ? ` (${image.failureCode})` : ''),
          image.riskLevel ?? '',
          v ? `${v.critical}/${v.high}/${v.medium}/${v.low}` : '',
          image.riskCounts?.secret ?? '',
          image.riskCounts?.malware ?? '',
          formatTime(image.pushedAt),
          image.id,
        ];
      }),
    );
    if (options.format === 'table') process.stdout.write(`${page.images.length} of ${page.total} images\n`);
    return 0;
  });
}
