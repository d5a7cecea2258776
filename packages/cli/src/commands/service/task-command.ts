import type { ScanTaskStatus, ScanTaskType } from '@drydock/server';
import { withClient, type ClientCommandOptions } from './client-context.ts';
import { printRows, type OutputFormat } from './output.ts';
import { taskHeader, taskRow } from './task-rows.ts';

type Formatted = ClientCommandOptions & { readonly format: OutputFormat };

export async function runTaskList(
  options: Formatted & {
    readonly type?: ScanTaskType;
    readonly status?: ScanTaskStatus[];
    readonly name?: string;
  },
): Promise<number> {
  return withClient(options, async (client, project) => {
    const tasks = await client.listTasks(project.id, {
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
  return withClient(options, async (client, project) => {
    const task = await client.findTask(project.id, id);
    const images = await client.taskImages(project.id, task.id, options.failed === true);
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
  return withClient(options, async (client, project) => {
    const task = await client.stopTask(project.id, (await client.findTask(project.id, id)).id);
    printRows(options.format, task, taskHeader, [taskRow(task)]);
    return 0;
  });
}
