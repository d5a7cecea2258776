import { formatMoney, monthOf } from '@drydock/server';
import { printRows, type OutputFormat } from './output.ts';
import { withService, type ServiceCommandOptions } from './service-context.ts';

/** `drydock usage [--month YYYY-MM]`: metered scans of the project in a month. */
export async function runUsage(
  options: ServiceCommandOptions & { readonly format: OutputFormat; readonly month?: string },
): Promise<number> {
  if (options.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.month)) {
    process.stderr.write('drydock usage: --month is YYYY-MM\n');
    return 2;
  }
  return withService(options, async (service, project) => {
    const usage = await service.meter.usage(
      service.db,
      project.id,
      options.month ?? monthOf(service.clock.now()),
    );
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
