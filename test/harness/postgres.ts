import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './registry.ts';

const run = promisify(execFile);

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  /** Stops the server (fast shutdown: every connection is cut) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Creates an empty database `name` (a plain identifier) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (!newest) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
  return `/usr/lib/postgresql/${newest}/bin`;
}

/**
 * A throwaway PostgreSQL server (Debian's binaries, run as the `postgres` user since the server
 * refuses root): initdb in a temporary directory, trust authentication, bound to 127.0.0.1,
 * durability off for speed. The recipe is in ../shared/RECIPES.md section 6.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = await binDir();
  const work = await mkdtemp(join(tmpdir(), 'drydock-pg-'));
  await chmod(work, 0o755);
  const data = join(work, 'data');
  await mkdir(data);
  const { stdout: ids } = await run('id', ['-u', 'postgres']);
  const { stdout: gids } = await run('id', ['-g', 'postgres']);
  await chown(work, Number(ids.trim()), Number(gids.trim()));
  await chown(data, Number(ids.trim()), Number(gids.trim()));
  const asPostgres = (command: string, args: readonly string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]);
  await asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const port = await freePort();
  await asPostgres('pg_ctl', [
    '-D',
    data,
    '-l',
    join(work, 'server.log'),
    '-w',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${work} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  };
  process.once('exit', () => {
    if (!stopped)
      spawn('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'], {
        detached: true,
      });
  });
  const restart = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'restart', '-l', join(work, 'server.log')]);
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const createDatabase = async (name: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create database ${name}`);
    } finally {
      await client.end();
    }
    return url.replace(/\/postgres$/, `/${name}`);
  };
  return { url, restart, createDatabase, stop };
}
