import type { HistoryStep } from './history-instruction.ts';
import { shellCommands, type ShellCommand } from './history-shell-commands.ts';

/** A RUN entry of the build history with its script split into commands. */
export interface RunStep {
  readonly step: HistoryStep;
  readonly commands: readonly ShellCommand[];
}

/** The RUN entries of a history, in order. */
export function runSteps(steps: readonly HistoryStep[]): RunStep[] {
  return steps
    .filter((step) => step.instruction.keyword === 'RUN')
    .map((step) => ({ step, commands: shellCommands(step.instruction.arguments) }));
}
