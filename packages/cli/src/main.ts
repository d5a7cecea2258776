import { Command, Option } from 'commander';
import { toolVersion } from '@drydock/engine';

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
        .choices(['table', 'json', 'cyclonedx', 'spdx-json'])
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
    .action(async (reference: string, options: Record<string, unknown>) => {
      const { runImageCommand } = await import('./commands/image.ts');
      process.exitCode = await runImageCommand(reference, options);
    });

  return program;
}

await buildProgram().parseAsync(process.argv);
