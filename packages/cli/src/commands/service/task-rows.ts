import { formatTime } from './output.ts';
import type { TaskView } from './service-client.ts';

/** One scan task as a table row, as `scan`, `task list`, `task show` and `task stop` print it. */
export function taskRow(task: TaskView) {
  const c = task.counts;
  return [
    task.id.slice(0, 8),
    task.type,
    task.name,
    task.status,
    `${task.progress}%`,
    `${c.total} total, ${c.succeeded} ok, ${c.failed} failed, ${c.terminated} terminated, ${c.risky} risky`,
    formatTime(task.createdAt),
    formatTime(task.finishedAt),
  ];
}

export const taskHeader = ['task', 'type', 'name', 'status', 'progress', 'images', 'created', 'finished'];
