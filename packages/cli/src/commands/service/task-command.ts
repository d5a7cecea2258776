import type { ScanTaskStatus, ScanTaskType } from '@drydock/server';
import { printRows, type OutputFormat } from './output.ts';
import { taskHeader, taskRow } from './scan-command.ts';
import { withService, type ServiceCommandOptions } from './service-context.ts';

type Formatted = ServiceCommandOptions & { readonly format: OutputFormat };

export async function runTaskList(
  options: Formatted & {
    readonly type?: ScanTaskType;
    readonly status?: ScanTaskStatus[];
    readonly name?: string;
  },
): Promise<number> {
  return withService(options, async (service, project) => {
    const tasks = await service.tasks.list(project.id, {
      ...(options.type ? { type: options.type } : {}),
      ...(options.status?.length ? { status: options.status } : {}),
      ...(options.name ? { name: options.name } : {}),
    });
    printRows(options.format, tasks, taskHeader, tasks.map(taskRow));
    return 0;
  });
}

/** `drydock task show ID`: the task and its images (or only the failed ones, with reasons). */
export async function runTaskShow(
  id: string,
  options: Formatted & { readonly failed?: boolean },
): Promise<number> {
  return withService(options, async (service, project) => {
    const task = await service.tasks.find(project.id, id);
    const images = await service.tasks.images(task.id, { failedOnly: options.failed === true });
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify({ ...task, images }, null, 2)}\n`);
      return 0;
    }
    printRows('table', task, taskHeader, [taskRow(task)]);
    printRows(
      'table',
      images,
      ['image', 'platform', 'status', 'failure'],
      images.map((image) => [
        `${image.repository}:${image.tag}`,
        image.platform,
        image.status,
        image.failureCode ? `${image.failureCode}: ${image.failureMessage ?? ''}` : '',
      ]),
    );
    return 0;
  });
}

export async function runTaskStop(id: string, options: Formatted): Promise<number> {
  return withService(options, async (service, project) => {
    const task = await service.tasks.stop(project.id, (await service.tasks.find(project.id, id)).id);
    printRows(options.format, task, taskHeader, [taskRow(task)]);
    return 0;
  });
}
