/**
 * The scans running in this process, by task, so stopping a task aborts them at once. Workers in
 * other processes notice a stop by polling the task's status (see scan-job.ts).
 */
export class RunningScans {
  readonly #byTask = new Map<string, Set<AbortController>>();

  add(taskId: string, controller: AbortController): () => void {
    let set = this.#byTask.get(taskId);
    if (!set) this.#byTask.set(taskId, (set = new Set()));
    set.add(controller);
    return () => {
      set.delete(controller);
      if (set.size === 0) this.#byTask.delete(taskId);
    };
  }

  abortTask(taskId: string): void {
    for (const controller of this.#byTask.get(taskId) ?? []) controller.abort(new TaskStoppedError());
  }

  abortAll(): void {
    for (const set of this.#byTask.values())
      for (const controller of set) controller.abort(new ServiceStoppingError());
  }

  get size(): number {
    let size = 0;
    for (const set of this.#byTask.values()) size += set.size;
    return size;
  }
}

/** The abort reason when the user stops the task: the image ends `terminated`, not `failed`. */
export class TaskStoppedError extends Error {
  constructor() {
    super('the scan task was stopped');
    this.name = 'TaskStoppedError';
  }
}

/** The abort reason when this process shuts down: the image goes back to the queue. */
export class ServiceStoppingError extends Error {
  constructor() {
    super('the service is stopping');
    this.name = 'ServiceStoppingError';
  }
}
