import { formatMoney } from '@drydock/server';
import { withClient, type ClientCommandOptions } from './client-context.ts';
import { printRows, type OutputFormat } from './output.ts';

/** `drydock usage [--month YYYY-MM]`: metered scans of the project in a month. */
export async function runUsage(
  options: ClientCommandOptions & { readonly format: OutputFormat; readonly month?: string },
): Promise<number> {
  if (options.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.month)) {
    process.stderr.write('drydock usage: --month is YYYY-MM\n');
    return 2;
  }
  return withClient(options, async (client, project) => {
    const usage = await client.usage(project.id, options.month);
    printRows(
      options.format,
      usage,
      ['month', 'repository scans', 'CI scans', 'free used', 'billed scans', 'amount'],
      [
        [
          usage.month,
          usage.repositoryScans,
          usage.ciScans,
          `${usage.freeUsed}/${usage.freeQuota}`,
          usage.billedScans,
          formatMoney(usage.amountMicros, usage.currency),
        ],
      ],
    );
    return 0;
  });
}
