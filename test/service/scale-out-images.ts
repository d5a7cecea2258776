import { eicarString } from '../harness/clamd.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import type { TestRegistry } from '../harness/registry.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';

// A made-up package and advisory: test data only.
const widget = 'drydock-scale-widget';

/** A vulnerability database with one advisory against `widget` below 2.0.0. */
export function buildWidgetDatabase(dir: string): Promise<string> {
  return buildDatabaseFromRecords(dir, 'widget', [
    {
      schema_version: '1.6.0',
      id: 'DRYDOCK-SCALE-1',
      modified: '2026-01-01T00:00:00Z',
      published: '2025-12-01T00:00:00Z',
      summary: `DRYDOCK-SCALE-1 in ${widget}`,
      database_specific: { severity: 'HIGH' },
      affected: [
        {
          package: { ecosystem: 'npm', name: widget },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
        },
      ],
    },
  ]);
}

/**
 * Pushes `count` images as `fleet/app-<n % 3>:t<n>`, each with its own file, and by turns a
 * vulnerable npm package, the EICAR test file, or nothing else, so results differ by image.
 */
export async function pushMixedImages(registry: TestRegistry, count: number): Promise<readonly string[]> {
  const pusher = new RegistryPusher(registry);
  const references: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const files: Record<string, string> = { [`srv/item-${index}.txt`]: `item ${index}\n` };
    if (index % 3 === 0) {
      files['app/package.json'] = JSON.stringify({
        name: 'app',
        version: '1.0.0',
        dependencies: { [widget]: '^1.0.0' },
      });
      files[`app/node_modules/${widget}/package.json`] = JSON.stringify({
        name: widget,
        version: `1.${index}.0`,
        license: 'MIT',
      });
    } else if (index % 3 === 1) files['tmp/eicar.com'] = eicarString;
    const image = await buildTestImage({ layers: [files] });
    const repository = `fleet/app-${index % 3}`;
    await pusher.pushImage(repository, `t${index}`, image);
    references.push(`${repository}:t${index}`);
  }
  return references;
}
