/**
 * The project the user last worked in, so the console opens there next time. It is only a
 * preference: the project list decides whether it is still offered.
 */
const storageKey = 'drydock.lastProject';

export function readLastProject(): string | undefined {
  try {
    return window.localStorage.getItem(storageKey) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberProject(projectId: string): void {
  try {
    window.localStorage.setItem(storageKey, projectId);
  } catch {
    // Storage may be disabled; the console then opens the first project.
  }
}
