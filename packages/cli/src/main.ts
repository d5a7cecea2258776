import { Command, Option } from 'commander';
import { registerMalwareCommand } from './commands/malware.ts';
import { registerServiceCommands } from './commands/service/register.ts';
import { stopQuietlyWhenOutputCloses } from './closed-output.ts';
// The version alone, not the engine's index: `drydock --version` and `--help` load no engine code.
import { toolVersion } from '@drydock/engine/tool-version';

/**
 * The `drydock` command. Subcommands load their modules lazily so `drydock --version` and
 * `--help` start fast.
 */
function buildProgram(): Command {
  const program = new Command('drydock')
    .description('Container image security scanner')
    .version(toolVersion, '-v, --version')
    .showHelpAfterError();

  program
    .command('image')
    .description(
      'scan a container image: registry reference, oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, dir:PATH',
    )
    .argument('<reference>', 'the image to scan')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'json', 'sarif', 'cyclonedx', 'spdx-json', 'junit'])
        .default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--platform <os/arch[/variant]>', 'platform to scan in a multi-architecture image')
    .option('--all-platforms', 'scan every platform of a multi-architecture image')
    .option('--username <user>', 'registry user name (or DRYDOCK_USERNAME)')
    .option('--password <password>', 'registry password (or DRYDOCK_PASSWORD; prefer --password-stdin)')
    .option('--password-stdin', 'read the registry password from standard input')
    .option('--registry-token <token>', 'a bearer token for the registry (or DRYDOCK_REGISTRY_TOKEN)')
    .option('--insecure', 'allow plain HTTP to the registry')
    .option('--ca-cert <file>', 'PEM file of the certificate authority that signed the registry certificate')
    .option('--skip-tls-verify', 'do not verify the registry TLS certificate')
    .option('--timeout <duration>', 'give up after this long (e.g. 90s, 10m)', '10m')
    .option('--no-progress', 'no progress bars')
    .option(
      '--cache-dir <dir>',
      'keep analysed layers in DIR and reuse them: a re-scan, or a scan of another image on the same base, downloads and walks only the layers not seen before',
    )
    .option(
      '--cache-max <size>',
      'with --cache-dir: bytes kept, least recently used first out (e.g. 500M, 4G)',
      '2G',
    )
    .option(
      '--db <file>',
      'vulnerability database (default: $DRYDOCK_CACHE_DIR/vulndb.sqlite or ~/.cache/drydock/vulndb.sqlite)',
    )
    .option(
      '--scanners <list>',
      'what to scan: vuln,secret,malware,baseline,compliance,inventory (default: vuln when a database exists, secret, malware, inventory)',
    )
    .option('--secret-config <file>', "the project's secret rules and allowlists (YAML)")
    .option(
      '--base-catalogue <file>',
      'base image catalogue (default: $DRYDOCK_CACHE_DIR/base-images.sqlite, when present; see drydock base)',
    )
    .option(
      '--compliance-policy <file>',
      "compliance: forbidden and restricted licence categories, allowed and denied licences, the project's prohibited software (YAML)",
    )
    .option('--password-words <file>', 'baseline: more passwords to try against /etc/shadow, one per line')
    .option(
      '--password-budget <n>',
      'baseline: cost-weighted guesses against /etc/shadow per image (default 3000, about 6 s of one core; 0: no weak-password search)',
    )
    .option('--skip-base-layers', "do not search the base image's layers for secrets")
    .option('--clamd <address>', 'send files to clamd too: host:port, tcp://host:port or a Unix socket path')
    .option(
      '--yara-rules <file>',
      'YARA rules to apply to every file (repeatable)',
      (file: string, previous: string[]) => [...previous, file],
      [],
    )
    .option(
      '--malware-db <file>',
      'malware hash store (default: $DRYDOCK_CACHE_DIR/malware-hashes.sqlite or ~/.cache/drydock/…, when present)',
    )
    .option(
      '--severity <list>',
      'report only these severities, e.g. HIGH,CRITICAL (critical, high, medium, low, unknown)',
    )
    .option('--ignore-unfixed', 'report only vulnerabilities that a released version fixes')
    .option(
      '--exit-code <n>',
      'exit with this status when findings (vulnerabilities, secrets, malware) remain after filters',
      '0',
    )
    .option(
      '--ignorefile <file>',
      'ignore file, YAML (default: .drydockignore in the working directory, when present)',
    )
    .option(
      '--vex <file>',
      'OpenVEX document; not_affected and fixed statements suppress findings (repeatable)',
      (file: string, previous: string[]) => [...previous, file],
      [],
    )
    .option(
      '--server <url>',
      'after the scan, upload the JSON report to the Drydock service at this URL as a CI scan',
    )
    .option('--token-file <file>', 'API token for --server (default: DRYDOCK_TOKEN)')
    .option('--project <name>', 'the project to upload to (default: the one the token sees, or default)')
    .action(async (reference: string, options: Record<string, unknown>) => {
      const { runImageCommand } = await import('./commands/image.ts');
      process.exitCode = await runImageCommand(reference, options);
    });

  const db = program
    .command('db')
    .description('manage the vulnerability database (OSV records in a SQLite file)');
  const dbPathOption = (): Option =>
    new Option(
      '--db <file>',
      'database file (default: $DRYDOCK_CACHE_DIR/vulndb.sqlite or ~/.cache/drydock/vulndb.sqlite)',
    );
  db.command('import')
    .description(
      'import OSV records from a directory, a JSON Lines or JSON file, a ZIP of records (all.zip) or a URL',
    )
    .argument('<source>', 'path or http(s) URL')
    .addOption(dbPathOption())
    .option(
      '--feed <name>',
      'feed name to record them under (default: from the source name); replaces that feed',
    )
    .option('--idle-timeout <duration>', 'give up on a URL that sends nothing for this long (e.g. 60s)')
    .option('--no-progress', 'no progress display')
    .action(async (source: string, options: Record<string, unknown>) => {
      const { dbCommandOptions, runDbImport } = await import('./commands/db.ts');
      process.exitCode = await runDbImport(source, dbCommandOptions(options));
    });
  db.command('update')
    .description(
      'fetch the configured feeds (default: the OSV project exports) and import those that changed',
    )
    .addOption(dbPathOption())
    .option('--feeds-file <file>', 'JSON list of feeds: { "feeds": [ { "name": ..., "url": ... } ] }')
    .option('--idle-timeout <duration>', 'give up on a feed that sends nothing for this long (e.g. 60s)')
    .option('--no-progress', 'no progress display')
    .action(async (options: Record<string, unknown>) => {
      const { dbCommandOptions, runDbUpdate } = await import('./commands/db.ts');
      process.exitCode = await runDbUpdate(dbCommandOptions(options));
    });
  db.command('status')
    .description('show where the database came from: feeds, fingerprints, record counts, build time and age')
    .addOption(dbPathOption())
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(async (options: Record<string, unknown>) => {
      const { dbCommandOptions, runDbStatus } = await import('./commands/db.ts');
      process.exitCode = await runDbStatus(dbCommandOptions(options));
    });

  registerMalwareCommand(program, () => import('@drydock/engine'));

  const base = program
    .command('base')
    .description('the catalogue of base images that scans name and split findings by (a SQLite file)');
  const catalogueOption = (): Option =>
    new Option(
      '--catalogue <file>',
      'catalogue file (default: $DRYDOCK_CACHE_DIR/base-images.sqlite or ~/.cache/drydock/base-images.sqlite)',
    );
  base
    .command('add')
    .description('scan images and catalogue them as base images (every platform of an index)')
    .argument(
      '<references...>',
      'images, e.g. registry.example.com/library/debian:12, or registry.example.com/library/* for every tag of every repository there',
    )
    .option('--tags <regex>', 'with PATH/*: only the tags this regular expression matches')
    .addOption(catalogueOption())
    .option('--name <repository:tag>', 'the name to catalogue a local source (oci:, dir:, ...) under')
    .option('--marked', "record the images as marked by the user (one of the team's own base images)")
    .option(
      '--db <file>',
      'vulnerability database for the finding counts (default: the default path, when present)',
    )
    .option('--insecure', 'allow plain HTTP to the registry')
    .option('--timeout <duration>', 'give up after this long', '30m')
    .action(async (references: string[], options: Record<string, unknown>) => {
      const { runBaseAdd } = await import('./commands/base.ts');
      process.exitCode = await runBaseAdd(references, options);
    });
  base
    .command('list')
    .description('show the catalogued base images')
    .addOption(catalogueOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: Record<string, unknown>) => {
      const { runBaseList } = await import('./commands/base.ts');
      process.exitCode = runBaseList(options);
    });
  base
    .command('remove')
    .description('remove a base image (every platform) or a whole repository')
    .argument('<name>', 'repository[:tag]')
    .addOption(catalogueOption())
    .action(async (name: string, options: Record<string, unknown>) => {
      const { runBaseRemove } = await import('./commands/base.ts');
      process.exitCode = runBaseRemove(name, options);
    });

  registerServiceCommands(program);

  return program;
}

stopQuietlyWhenOutputCloses();
await buildProgram().parseAsync(process.argv);
