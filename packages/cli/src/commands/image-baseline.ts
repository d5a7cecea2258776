import { readFile } from 'node:fs/promises';
import { parseReference, type BaselineScanOptions } from '@drydock/engine';
import { OptionError } from './image-scanners.ts';

const localTransports = ['oci:', 'oci-archive:', 'docker-archive:', 'dir:'];

/** The tag or digest a registry reference names; nothing for local sources. */
function referenceParts(reference: string): BaselineScanOptions['reference'] {
  if (localTransports.some((transport) => reference.startsWith(transport))) return undefined;
  const parsed = parseReference(reference.replace(/^docker:\/\//, ''));
  return {
    ...(parsed.tag === undefined ? {} : { tag: parsed.tag }),
    ...(parsed.digest === undefined ? {} : { digest: parsed.digest }),
  };
}

/**
 * The baseline scan's options from the command line: the reference (for the `latest` tag check),
 * the weak-password budget (`--password-budget N`, 0 turns the search off) and the project's own
 * words to try (`--password-words FILE`, one per line).
 */
export async function baselineOptions(
  reference: string,
  options: Record<string, unknown>,
): Promise<BaselineScanOptions> {
  const budgetText = options['passwordBudget'];
  const budget = budgetText === undefined ? undefined : Number(budgetText);
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 0))
    throw new OptionError(
      `--password-budget: ${JSON.stringify(budgetText)} is not a whole number of guesses`,
    );
  const wordsFile = typeof options['passwordWords'] === 'string' ? options['passwordWords'] : undefined;
  const extraWords = wordsFile
    ? (await readFile(wordsFile, 'utf8'))
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
    : [];
  const parts = referenceParts(reference);
  return {
    ...(parts ? { reference: parts } : {}),
    weakPasswords:
      budget === 0
        ? false
        : {
            ...(budget === undefined ? {} : { maxGuesses: budget }),
            ...(extraWords.length > 0 ? { extraWords } : {}),
          },
  };
}
