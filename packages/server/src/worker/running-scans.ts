/** One scan running in this process: what aborts it, and the image it scans. */
interface RunningScan {
  readonly controller: AbortController;
  readonly imageId: string;
}

/**
 * The scans running in this process, by task, so stopping a task or one image's scans aborts them
 * at once. Workers in other processes notice a stop by polling their task's status and their own
 * row (see scan-job.ts).
 */
export class RunningScans {
  readonly #byTask = new Map<string, Set<RunningScan>>();

  /** Registers a scan of `imageId` in `taskId`; the returned function unregisters it. */
  add(taskId: string, controller: AbortController, imageId: string): () => void {
    let set = this.#byTask.get(taskId);
    if (!set) this.#byTask.set(taskId, (set = new Set()));
    const scan: RunningScan = { controller, imageId };
    set.add(scan);
    return () => {
      set.delete(scan);
      if (set.size === 0) this.#byTask.delete(taskId);
    };
  }

  abortTask(taskId: string): void {
    for (const scan of this.#byTask.get(taskId) ?? []) scan.controller.abort(new TaskStoppedError());
  }

  /** Aborts the scans of one image in one task (every platform of it); the task's others go on. */
  abortImage(taskId: string, imageId: string): void {
    for (const scan of this.#byTask.get(taskId) ?? [])
      if (scan.imageId === imageId) scan.controller.abort(new ImageStoppedError());
  }

  abortAll(): void {
    for (const set of this.#byTask.values())
      for (const scan of set) scan.controller.abort(new ServiceStoppingError());
  }

  get size(): number {
    let size = 0;
    for (const set of this.#byTask.values()) size += set.size;
    return size;
  }
}

/** The abort reason when the user stops the task: the image ends `terminated`, not `failed`. */
export class TaskStoppedError extends Error {
  constructor(message = 'the scan task was stopped') {
    super(message);
    this.name = 'TaskStoppedError';
  }
}

/**
 * The abort reason when the user stops one image's scans. A kind of TaskStoppedError: the worker
 * ends the scan `terminated` the same way.
 */
export class ImageStoppedError extends TaskStoppedError {
  constructor() {
    super("the image's scan was stopped");
    this.name = 'ImageStoppedError';
  }
}

/** The abort reason when this process shuts down: the image goes back to the queue. */
export class ServiceStoppingError extends Error {
  constructor() {
    super('the service is stopping');
    this.name = 'ServiceStoppingError';
  }
}

/**
 * Another worker took this scan over (this one missed its heartbeats, so the queue retried the job
 * elsewhere): whatever this one finds is dropped.
 */
export class ScanSupersededError extends Error {
  constructor() {
    super('another worker took this scan over');
    this.name = 'ScanSupersededError';
  }
}
