import { Option, type Command } from 'commander';

/** Runs a command's body; a failure is printed with its code and sets the exit status. */
async function exitWith(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    const { reportFailure } = await import('./report-failure.ts');
    process.exitCode = await reportFailure(error);
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Options of every command that opens the service's database. */
function serviceOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'the service data directory (default: $DRYDOCK_DATA_DIR or ~/.local/share/drydock); DATABASE_URL selects PostgreSQL instead',
    )
    .option('--database <url>', 'the PostgreSQL server of the service: postgres://… (or DATABASE_URL)')
    .option('--project <name>', 'the project (default: default)');
}

/**
 * Options of the commands that work on a local database or, with `--server`, on a running service
 * through its HTTP API. The token is never printed; over plain HTTP it goes only to this machine
 * unless `--insecure` says the network is trusted.
 */
function clientOptions(command: Command): Command {
  return serviceOptions(command)
    .option('--server <url>', 'call the Drydock service at this URL through its API (or DRYDOCK_SERVER)')
    .option('--token <token>', 'API token for --server (or DRYDOCK_TOKEN; prefer --token-file)')
    .option('--token-file <file>', 'read the API token for --server from this file')
    .option('--insecure', 'allow sending the API token over plain HTTP to another host');
}

function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table');
}

function engineOptions(command: Command): Command {
  return command
    .option('--db <file>', 'vulnerability database (default: the CLI default path)')
    .option('--malware-db <file>', 'malware hash store (default: the CLI default path, when present)')
    .option('--clamd <address>', 'send files to clamd too: host:port or a Unix socket path');
}

/**
 * The service's operator commands. By default they call the service library on its database
 * directly (with the embedded database they need the service stopped, since one process at a time
 * owns it); with `--server` they call a running service's HTTP API with a token instead, and print
 * the same output.
 */
export function registerServiceCommands(program: Command): void {
  engineOptions(serviceOptions(program.command('serve')))
    .description(
      'run the Drydock service: its HTTP API and console, the scheduler, syncs and in-process scan workers (embedded database unless --database or DATABASE_URL)',
    )
    .option(
      '--workers <n>',
      'scan workers in this process, 0 for none (or DRYDOCK_WORKERS; default half the cores)',
    )
    .option('--listen <host:port>', 'address of the HTTP API (or DRYDOCK_LISTEN; default 127.0.0.1:8080)')
    .addHelpText(
      'after',
      '\nEnvironment: DATABASE_URL, DRYDOCK_SECRET_KEY (base64 of 32 bytes; required on PostgreSQL, the same for every serve and worker), DRYDOCK_DATA_DIR, DRYDOCK_LISTEN, DRYDOCK_WORKERS, DRYDOCK_ADMIN_PASSWORD, DRYDOCK_METRICS_TOKEN, DRYDOCK_LOG_LEVEL.\nProbes: GET /healthz (alive), GET /readyz (the database answers).',
    )
    .action(async (options) =>
      exitWith(async () => {
        const { runServe } = await import('./serve-command.ts');
        return runServe(options, 'serve');
      }),
    );
  engineOptions(serviceOptions(program.command('worker')))
    .description(
      'run scan workers only, on the PostgreSQL database of a running service (any number, on any machine)',
    )
    .option(
      '--workers <n>',
      'scans at once in this process (or DRYDOCK_WORKERS; default the number of cores)',
    )
    .option(
      '--server <url>',
      "take the vulnerability database from the service at this URL and follow its updates (or DRYDOCK_SERVER); else --db's file",
    )
    .option('--token <token>', 'API token for --server, any role (or DRYDOCK_TOKEN; prefer --token-file)')
    .option('--token-file <file>', 'read the API token for --server from this file')
    .option('--insecure', 'allow sending the API token over plain HTTP to another host')
    .option(
      '--health-listen <host:port>',
      'serve GET /healthz and GET /readyz here for probes (or DRYDOCK_HEALTH_LISTEN; default none)',
    )
    .addHelpText(
      'after',
      "\nEnvironment: DATABASE_URL, DRYDOCK_SECRET_KEY (required: the service's key), DRYDOCK_SERVER, DRYDOCK_TOKEN, DRYDOCK_DATA_DIR (its copy of the vulnerability database), DRYDOCK_WORKERS, DRYDOCK_HEALTH_LISTEN.\nProbes: GET /healthz (alive), GET /readyz (the database answers and, with --server, the vulnerability database has arrived).",
    )
    .action(async (options) =>
      exitWith(async () => {
        const { runServe } = await import('./serve-command.ts');
        return runServe(options, 'worker');
      }),
    );

  const registry = program.command('registry').description('registry connections of the service');
  clientOptions(registry.command('add'))
    .description('connect a registry (the connection is tested unless --no-test)')
    .argument('<name>')
    .addOption(
      new Option('--type <type>', 'registry type')
        .choices(['harbor', 'jfrog', 'registry', 'dockerhub'])
        .makeOptionMandatory(),
    )
    .requiredOption('--url <url>', 'http(s)://host[:port]')
    .option('--username <user>', 'user or robot account')
    .option('--password <password>', 'password (or DRYDOCK_PASSWORD; prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--registry-token <token>', "the registry's bearer token instead of user and password")
    .option(
      '--include <pattern>',
      'only repositories (or repository:tag) matching this glob (repeatable)',
      collect,
      [],
    )
    .option(
      '--exclude <pattern>',
      'leave out repositories (or repository:tag) matching this glob (repeatable)',
      collect,
      [],
    )
    .option(
      '--namespace <name>',
      'Docker Hub namespace to list; Harbor project to limit to (repeatable)',
      collect,
      [],
    )
    .option('--ca-cert <file>', 'PEM CA certificate of the registry')
    .option('--skip-tls-verify', 'do not verify the registry TLS certificate')
    .option('--credential-expires <date>', 'scans fail with credential_expired after this date')
    .option('--max-pulls <n>', 'concurrent pulls from this registry (default 4)')
    .option('--no-test', 'do not test the connection')
    .addOption(formatOption())
    .action(async (name: string, options) =>
      exitWith(async () => {
        const { runRegistryAdd } = await import('./registry-command.ts');
        return runRegistryAdd(name, options);
      }),
    );
  clientOptions(registry.command('list'))
    .description('list registry connections (credentials are never shown)')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runRegistryList } = await import('./registry-command.ts');
        return runRegistryList(options);
      }),
    );
  clientOptions(registry.command('test'))
    .description('test a registry connection')
    .argument('<name>')
    .addOption(formatOption())
    .action(async (name: string, options) =>
      exitWith(async () => {
        const { runRegistryTest } = await import('./registry-command.ts');
        return runRegistryTest(name, options);
      }),
    );
  clientOptions(registry.command('remove'))
    .description('remove a registry connection and its images')
    .argument('<name>')
    .action(async (name: string, options) =>
      exitWith(async () => {
        const { runRegistryRemove } = await import('./registry-command.ts');
        return runRegistryRemove(name, options);
      }),
    );

  const sync = clientOptions(program.command('sync'))
    .description('refresh the image list from the registries now (metadata only)')
    .option('--registry <name>', 'only this connection (repeatable)', collect, [])
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runSync } = await import('./inventory-command.ts');
        return runSync(options);
      }),
    );
  clientOptions(sync.command('list'))
    .description('list sync tasks')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runSyncList } = await import('./inventory-command.ts');
        return runSyncList(options);
      }),
    );

  clientOptions(program.command('images'))
    .description('list repository images with scan status and risk counts')
    .option('--name <text>', 'repository:tag contains this')
    .option('--registry <name>', 'only this connection')
    .option('--status <status>', 'only this scan status (repeatable)', collect, [])
    .option('--limit <n>', 'at most this many')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runImages } = await import('./inventory-command.ts');
        return runImages(options);
      }),
    );

  engineOptions(clientOptions(program.command('scan')))
    .description('scan repository images: estimate the fee, confirm, start a task')
    .option('--all', 'every image')
    .option('--registry-type <type>', 'images of this registry type (repeatable)', collect, [])
    .option('--registry <name>', 'images of this connection (repeatable)', collect, [])
    .option('--image <id|repository:tag>', 'this image (repeatable)', collect, [])
    .option('--filter <text>', 'images whose repository:tag contains this')
    .option('--risk-types <list>', 'vulnerability,baseline,malware,secret,compliance (default all)')
    .option('--speed-limit <n>', 'images per hour per registry, 0-1000 (0 = unlimited)')
    .option('--estimate-only', 'print the estimate and stop')
    .option('--estimate <id>', 'start with this estimate (the fee is confirmed)')
    .option('--accept-fee', 'start without an estimate, accepting the fee')
    .option('--wait', 'return when the task ends (a local database: run the scans in this process)')
    .option('--workers <n>', 'with --wait on a local database: scans at once', '2')
    .option('--no-progress', 'no progress bar')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runScan } = await import('./scan-command.ts');
        return runScan(options);
      }),
    );

  const task = program.command('task').description('scan tasks');
  clientOptions(task.command('list'))
    .description('list scan tasks')
    .addOption(new Option('--type <type>').choices(['manual', 'scheduled']))
    .option('--status <status>', 'only this status (repeatable)', collect, [])
    .option('--name <text>', 'name contains this')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runTaskList } = await import('./task-command.ts');
        return runTaskList(options);
      }),
    );
  clientOptions(task.command('show'))
    .description('a task with its images')
    .argument('<id>', 'task id or its first characters')
    .option('--failed', 'only the failed images, with reasons')
    .addOption(formatOption())
    .action(async (id: string, options) =>
      exitWith(async () => {
        const { runTaskShow } = await import('./task-command.ts');
        return runTaskShow(id, options);
      }),
    );
  clientOptions(task.command('stop'))
    .description('stop a task: queued images are terminated, running scans aborted')
    .argument('<id>', 'task id or its first characters')
    .addOption(formatOption())
    .action(async (id: string, options) =>
      exitWith(async () => {
        const { runTaskStop } = await import('./task-command.ts');
        return runTaskStop(id, options);
      }),
    );

  const policy = program.command('policy').description("the project's scheduled scan policy");
  clientOptions(policy.command('show'))
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runPolicyShow } = await import('./policy-command.ts');
        return runPolicyShow(options);
      }),
    );
  clientOptions(policy.command('set'))
    .description('change the scheduled scan policy')
    .option('--enable', 'turn it on')
    .option('--disable', 'turn it off')
    .option('--every <days>', 'run every N days (1-30)')
    .option('--window <HH:MM-HH:MM>', 'time window in the project time zone (default 00:00-07:00)')
    .option('--time-zone <zone>', "the project's time zone (IANA name)")
    .option('--risk-types <list>', 'vulnerability,baseline,malware,secret,compliance')
    .option('--speed-limit <n>', 'images per hour per registry (0 = unlimited)')
    .option('--updated-within <days>', 'only images pushed in the last N days (0 = all)')
    .option('--registry <name>', 'a connection it covers (repeatable; default all)', collect, [])
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runPolicySet } = await import('./policy-command.ts');
        return runPolicySet({ ...options, ...(options.disable ? { enable: false } : {}) });
      }),
    );

  clientOptions(policy.command('disable'))
    .description('stop scheduled scans (the settings are kept for when it is enabled again)')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runPolicyDisable } = await import('./policy-command.ts');
        return runPolicyDisable(options);
      }),
    );

  clientOptions(program.command('usage'))
    .description('metered scans of the project in a month')
    .option('--month <YYYY-MM>', 'default: this month (UTC)')
    .addOption(formatOption())
    .action(async (options) =>
      exitWith(async () => {
        const { runUsage } = await import('./usage-command.ts');
        return runUsage(options);
      }),
    );
}
