import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAdminToken } from '../harness/drydock-processes.ts';
import { startPostgres, type TestPostgres } from '../harness/postgres.ts';
import { freePort } from '../harness/registry.ts';
import {
  byKind,
  containerPort,
  envValue,
  imageConfig,
  loadManifests,
  onlyContainer,
  root,
  subcommandOf,
  workload,
  workloadsOf,
  type Container,
  type ImageConfig,
  type Loaded,
  type Probe,
  type Workload,
} from './kubernetes-manifests.ts';

/**
 * serve, worker and the vulnerability database update job run exactly as their pods would (the
 * Dockerfile's entry point, the container's args and env, the ConfigMap's values, volumes as
 * fresh directories) against a real PostgreSQL, answering their probes. The static checks of the
 * same manifests are in kubernetes-manifests.test.ts.
 */

let loaded: Loaded[];
let workloads: Workload[];
let image: ImageConfig;

before(async () => {
  loaded = await loadManifests();
  workloads = workloadsOf(loaded);
  image = await imageConfig();
});

/** The test's stand-ins for what the operator puts in the Secrets. */
interface SecretValues {
  readonly [secret: string]: Readonly<Record<string, string>>;
}

/** One container started as its pod would start it, on this machine. */
interface RunningContainer {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Container port → the 127.0.0.1 port it listens on here. */
  readonly ports: ReadonlyMap<number, number>;
  /** Mount path → the directory that stands in for the volume. */
  readonly mounts: ReadonlyMap<string, string>;
  /** The HOME it ran with: the image's root filesystem is read-only, so nothing may land here. */
  readonly home: string;
  /** The pod's labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Runs a pod's container as Kubernetes would: the image's entry point (WORKDIR mapped to this
 * repository) with the container's args, the image's ENV and the container's env (Secret and
 * ConfigMap references resolved), every volume a directory (claims shared between pods, emptyDirs
 * fresh), listen addresses moved to 127.0.0.1 and free ports, and `rewrite` for what only the
 * cluster has (Service names).
 */
class PodRunner {
  readonly #claims = new Map<string, string>();
  readonly #running: RunningContainer[] = [];

  private readonly work: string;
  private readonly secrets: SecretValues;
  private readonly configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>;

  constructor(
    work: string,
    secrets: SecretValues,
    configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {
    this.work = work;
    this.secrets = secrets;
    this.configMaps = configMaps;
  }

  async start(
    pod: Workload,
    options: {
      readonly args?: readonly string[];
      readonly rewrite?: (name: string, value: string) => string;
    } = {},
  ): Promise<RunningContainer> {
    const target = onlyContainer(pod);
    const mounts = new Map<string, string>();
    for (const mount of target.volumeMounts ?? []) {
      const source = pod.template.spec.volumes?.find((entry) => entry.name === mount.name);
      const claim = source?.persistentVolumeClaim?.claimName;
      let dir = claim ? this.#claims.get(claim) : undefined;
      dir ??= await mkdtemp(join(this.work, `${claim ?? `${pod.name}-${mount.name}`}-`));
      if (claim) this.#claims.set(claim, dir);
      mounts.set(mount.mountPath, dir);
    }
    const onVolume = (value: string): string => {
      for (const [path, dir] of mounts)
        if (value === path || value.startsWith(`${path}/`)) return dir + value.slice(path.length);
      return value;
    };
    const ports = new Map<number, number>();
    const local = async (address: string): Promise<string> => {
      const match = /:(\d+)$/.exec(address);
      assert.ok(match?.[1], `${address} is host:port`);
      const free = await freePort();
      ports.set(Number(match[1]), free);
      return `127.0.0.1:${free}`;
    };
    const args = [...(options.args ?? target.args ?? image.cmd)];
    for (const flag of ['--listen', '--health-listen']) {
      const index = args.indexOf(flag);
      const value = args[index + 1];
      if (index !== -1 && value !== undefined) args[index + 1] = await local(value);
    }
    const env: Record<string, string> = { ...image.env };
    for (const entry of target.env ?? []) {
      const secretRef = entry.valueFrom?.secretKeyRef;
      const configRef = entry.valueFrom?.configMapKeyRef;
      const value = secretRef
        ? this.secrets[secretRef.name]?.[secretRef.key]
        : configRef
          ? this.configMaps.get(configRef.name)?.[configRef.key]
          : entry.value;
      assert.ok(value !== undefined, `${pod.name} ${entry.name} has a value`);
      env[entry.name] = value;
    }
    for (const [name, value] of Object.entries(env)) {
      let next = onVolume(value);
      if (name === 'DRYDOCK_LISTEN' || name === 'DRYDOCK_HEALTH_LISTEN') next = await local(next);
      env[name] = options.rewrite ? options.rewrite(name, next) : next;
    }
    const home = await mkdtemp(join(this.work, `${pod.name}-home-`));
    assert.ok(mounts.has('/tmp'), `${pod.name} mounts /tmp`);
    const [command, ...entryArgs] = image.entrypoint;
    assert.equal(command, 'node');
    const child = spawn(
      process.execPath,
      [
        ...entryArgs.map((arg) =>
          arg.startsWith(`${image.workdir}/`) ? join(root, relative(image.workdir, arg)) : arg,
        ),
        ...args,
      ],
      // Only what the container would have, plus PATH; the repository stands in for WORKDIR. The
      // temporary directory is the test's own, where tsx has its compile cache already: in these
      // runs nothing else lands there, and fresh caches would make every start slow.
      {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', HOME: home, TMPDIR: tmpdir(), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr
      .setEncoding('utf8')
      .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-100_000)));
    const exited = new Promise<number | NodeJS.Signals>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'SIGKILL')),
    );
    const running = {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      exited,
      ports,
      mounts,
      home,
      labels: pod.template.metadata.labels,
    };
    this.#running.push(running);
    return running;
  }

  /** Where a probe of `target` lands here: its port (by name or number) moved like the listen address. */
  probeUrl(running: RunningContainer, target: Container, declared: Probe | undefined): string {
    assert.ok(declared?.httpGet, `${target.name} has an HTTP probe`);
    const local = running.ports.get(containerPort(target, declared.httpGet.port));
    assert.ok(local, `the probe's port ${declared.httpGet.port} is the one ${target.name} listens on`);
    return `http://127.0.0.1:${local}${declared.httpGet.path}`;
  }

  async stopAll(): Promise<void> {
    for (const running of this.#running) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
      await running.exited;
    }
  }
}

/** Polls `url` until it answers `status`; fails with the process's output if the process ends first. */
async function waitForStatus(url: string, status: number, running: RunningContainer): Promise<Response> {
  let ended = false;
  void running.exited.then(() => (ended = true));
  for (;;) {
    assert.ok(
      !ended,
      `the process ended before ${url} answered ${status}:\n${running.stdout()}\n${running.stderr()}`,
    );
    const answer = await fetch(url).catch(() => undefined);
    if (answer?.status === status) return answer;
    await answer?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('serve and worker started as the manifests start them', () => {
  let postgres: TestPostgres;
  let work: string;
  let runner: PodRunner;
  let secrets: Record<string, Record<string, string>>;

  before(async () => {
    postgres = await startPostgres();
    work = await mkdtemp(join(tmpdir(), 'drydock-deploy-'));
    secrets = {
      drydock: {
        DRYDOCK_SECRET_KEY: randomBytes(32).toString('base64'),
        POSTGRES_PASSWORD: 'unused: the test PostgreSQL trusts local connections',
        DATABASE_URL: postgres.url,
        DRYDOCK_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
        DRYDOCK_METRICS_TOKEN: randomBytes(24).toString('hex'),
      },
      'drydock-worker-token': { DRYDOCK_TOKEN: '' },
    };
    const template = new Map(
      byKind(loaded, 'Secret').map((secret) => [secret.metadata.name, Object.keys(secret.stringData).sort()]),
    );
    assert.deepEqual(
      new Map(Object.entries(secrets).map(([name, data]) => [name, Object.keys(data).sort()])),
      template,
      'the test fills in exactly the Secret template',
    );
    runner = new PodRunner(
      work,
      secrets,
      new Map(byKind(loaded, 'ConfigMap').map((map) => [map.metadata.name, map.data])),
    );
  });

  after(async () => {
    await runner?.stopAll();
    await postgres?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  // The timeouts only keep a process that never gets ready from holding the run forever.
  test(
    'serve and worker become ready, and the worker takes the database the update job wrote',
    { timeout: 120_000 },
    async () => {
      // The update job, with `db import` of a local record in place of `db update` (no feed is
      // reachable here): same image, env and volume, so the file lands where serve loads it.
      const records = join(work, 'records.jsonl');
      await writeFile(
        records,
        `${JSON.stringify({
          id: 'GHSA-dock-test-0001',
          modified: '2026-01-01T00:00:00Z',
          published: '2026-01-01T00:00:00Z',
          summary: 'a record for the deployment test',
          affected: [
            {
              package: { ecosystem: 'npm', name: 'left-pad' },
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
            },
          ],
        })}\n`,
      );
      const update = workload(workloads, 'drydock-vulnerability-database-update');
      const updateArgs = onlyContainer(update).args ?? [];
      assert.deepEqual(subcommandOf(updateArgs), ['db', 'update']);
      const imported = await runner.start(update, { args: ['db', 'import', records, '--no-progress'] });
      assert.equal(await imported.exited, 0, imported.stderr());
      const cacheDir = envValue(onlyContainer(update), 'DRYDOCK_CACHE_DIR');
      assert.ok(cacheDir);
      const onClaim = [...imported.mounts].find(([path]) => cacheDir.startsWith(path));
      assert.ok(onClaim, 'the job writes to a volume');
      const databaseFile = join(onClaim[1], relative(onClaim[0], cacheDir), 'vulndb.sqlite');
      const sha256 = createHash('sha256')
        .update(await readFile(databaseFile))
        .digest('hex');

      const servePod = workload(workloads, 'drydock-serve');
      const serveContainer = onlyContainer(servePod);
      const serve = await runner.start(servePod);
      await waitForStatus(runner.probeUrl(serve, serveContainer, serveContainer.readinessProbe), 200, serve);
      for (const declared of [serveContainer.livenessProbe, serveContainer.startupProbe])
        assert.equal((await fetch(runner.probeUrl(serve, serveContainer, declared))).status, 200);
      assert.match(serve.stdout(), /drydock serve: running with 0 scan workers on PostgreSQL/);
      const serveUrl = new URL(runner.probeUrl(serve, serveContainer, serveContainer.readinessProbe)).origin;

      const metrics = `${serveUrl}/metrics`;
      assert.equal((await fetch(metrics)).status, 401, 'DRYDOCK_METRICS_TOKEN guards /metrics');
      const scraped = await fetch(metrics, {
        headers: { authorization: `Bearer ${secrets['drydock']?.['DRYDOCK_METRICS_TOKEN']}` },
      });
      assert.equal(scraped.status, 200);

      // The workers' API token, made as README.md says: sign in as the first admin, create a token.
      const token = await createAdminToken(
        serveUrl,
        secrets['drydock']?.['DRYDOCK_ADMIN_PASSWORD'] ?? '',
        'workers',
      );
      assert.equal(typeof token, 'string', 'the token creation answers with the token');
      secrets['drydock-worker-token'] = { DRYDOCK_TOKEN: token };

      const workerPod = workload(workloads, 'drydock-worker');
      const workerContainer = onlyContainer(workerPod);
      const worker = await runner.start(workerPod, {
        // DRYDOCK_SERVER names the serve Service: here, that is the serve process's own port.
        rewrite: (name, value) =>
          name === 'DRYDOCK_SERVER' ? serviceUrlHere(value, serve, serveContainer) : value,
      });
      await waitForStatus(
        runner.probeUrl(worker, workerContainer, workerContainer.readinessProbe),
        200,
        worker,
      );
      for (const declared of [workerContainer.livenessProbe, workerContainer.startupProbe])
        assert.equal((await fetch(runner.probeUrl(worker, workerContainer, declared))).status, 200);
      const workers = byKind(loaded, 'ConfigMap').find((map) => map.metadata.name === 'drydock')?.data[
        'DRYDOCK_WORKERS'
      ];
      assert.ok(workers);
      assert.match(
        worker.stdout(),
        new RegExp(`drydock worker: running with ${workers} scan workers on PostgreSQL`),
      );

      // The worker's copy, in its data directory, is the update job's file byte for byte.
      const dataDir = envValue(workerContainer, 'DRYDOCK_DATA_DIR');
      assert.ok(dataDir);
      const dataVolume = [...worker.mounts].find(([path]) => dataDir.startsWith(path));
      assert.ok(dataVolume);
      const copies = await readdir(join(dataVolume[1], relative(dataVolume[0], dataDir)), {
        recursive: true,
      });
      assert.ok(
        copies.some((name) => name.endsWith(`vulnerability-${sha256}.db`)),
        copies.join(', '),
      );

      // SIGTERM, as Kubernetes stops a pod: both end cleanly.
      worker.child.kill('SIGTERM');
      serve.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0, worker.stderr());
      assert.equal(await serve.exited, 0, serve.stderr());
      for (const running of [imported, serve, worker])
        assert.deepEqual(await readdir(running.home), [], 'nothing written outside the volumes into HOME');
    },
  );

  test(
    'the worker accepts the in-cluster server address as given (plain HTTP to the serve Service)',
    { timeout: 120_000 },
    async () => {
      // Unchanged DRYDOCK_SERVER: not resolvable here, so the worker waits unready; without
      // --insecure it would refuse to start (its token would travel in clear text to another host).
      secrets['drydock-worker-token'] = { DRYDOCK_TOKEN: 'a-token-the-service-never-sees' };
      const workerPod = workload(workloads, 'drydock-worker');
      const workerContainer = onlyContainer(workerPod);
      const worker = await runner.start(workerPod);
      await waitForStatus(
        runner.probeUrl(worker, workerContainer, workerContainer.livenessProbe),
        200,
        worker,
      );
      const ready = await fetch(runner.probeUrl(worker, workerContainer, workerContainer.readinessProbe));
      assert.equal(ready.status, 503);
      worker.child.kill('SIGKILL');
      await worker.exited;
    },
  );
});

/**
 * A URL naming a Service (`http://SERVICE:PORT`) rewritten to the local port of the process that
 * stands for the Service's pods: the Service port, its targetPort, the container port, the port
 * the process listens on here.
 */
function serviceUrlHere(value: string, running: RunningContainer, target: Container): string {
  const url = new URL(value);
  const service = byKind(loaded, 'Service').find((candidate) => candidate.metadata.name === url.hostname);
  assert.ok(service, `${value} names a Service`);
  assert.ok(
    Object.entries(service.spec.selector).every(([key, wanted]) => running.labels[key] === wanted),
    `${value} names the Service of the process's pods`,
  );
  const entry = service.spec.ports.find((candidate) => candidate.port === Number(url.port));
  assert.ok(entry, `${value}: the Service has port ${url.port}`);
  const local = running.ports.get(containerPort(target, entry.targetPort));
  assert.ok(local, `${value} reaches the port the process listens on`);
  url.hostname = '127.0.0.1';
  url.port = String(local);
  return url.toString().replace(/\/$/, '');
}
