/**
 * A real clamd for tests: a temporary directory with signatures the test writes, clamd on a free
 * 127.0.0.1 port (and a Unix socket), ready once it answers PING, stopped (and its directory
 * removed) by `stop()`. clamd 1.4 (Debian `clamav-daemon`) loads .hdb/.hsb hash, .ndb body and
 * .yar YARA signatures from the directory; names from these unsigned databases get the suffix
 * `.UNOFFICIAL`, YARA rules the prefix `YARA.`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const clamdBinary = '/usr/sbin/clamd';

export const eicarString = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
export const ndbMarker = 'MALWARE-TEST-MARKER-12345';
export const yaraMarker = 'YARA-TEST-MARKER';

/** EICAR by MD5 (.hdb) and SHA256 (.hsb), a body marker (.ndb) and a YARA rule (.yar). */
export function testSignatures(): Record<string, string> {
  const eicar = Buffer.from(eicarString, 'latin1');
  const md5 = createHash('md5').update(eicar).digest('hex');
  const sha256 = createHash('sha256').update(eicar).digest('hex');
  return {
    'test.hdb': `${md5}:68:Test.EICAR.MD5\n`,
    'test.hsb': `${sha256}:68:Test.EICAR.SHA256\n`,
    'test.ndb': `Test.Marker.NDB:0:*:${Buffer.from(ndbMarker).toString('hex')}\n`,
    'test.yar': `rule Test_Yara_Marker { strings: $a = "${yaraMarker}" condition: $a }\n`,
  };
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface StartClamdOptions {
  /** File name → content in clamd's database directory (default `testSignatures()`). */
  readonly signatures?: Readonly<Record<string, string>>;
  /** clamd's StreamMaxLength (`512M`, `2K`...); default 512M. */
  readonly streamMaxLength?: string;
}

export interface StartedClamd {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  readonly port: number;
  /** The Unix socket clamd also listens on. */
  readonly socketPath: string;
  readonly directory: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

async function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.includes('PONG')) done(true);
    });
    socket.on('connect', () => socket.write('zPING\0'));
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function startClamd(options: StartClamdOptions = {}): Promise<StartedClamd> {
  const directory = await mkdtemp(join(tmpdir(), 'drydock-clamd-'));
  const database = join(directory, 'db');
  await mkdir(database);
  for (const [name, content] of Object.entries(options.signatures ?? testSignatures())) {
    await writeFile(join(database, name), content);
  }
  const port = await freePort();
  const socketPath = join(directory, 'clamd.sock');
  const config = join(directory, 'clamd.conf');
  await writeFile(
    config,
    [
      `DatabaseDirectory ${database}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `LocalSocket ${socketPath}`,
      'Foreground yes',
      `LogFile ${join(directory, 'clamd.log')}`,
      `TemporaryDirectory ${directory}`,
      `StreamMaxLength ${options.streamMaxLength ?? '512M'}`,
      'MaxScanSize 1024M',
      'MaxFileSize 512M',
      '',
    ].join('\n'),
  );
  const output: Buffer[] = [];
  const child = spawn(clamdBinary, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (data: Buffer) => output.push(data));
  child.stderr?.on('data', (data: Buffer) => output.push(data));
  const stop = async (): Promise<void> => {
    if (!exited(child)) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5000)]);
      if (!exited(child)) child.kill('SIGKILL');
    }
    await rm(directory, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    // A port taken by another process would answer for the wrong clamd: ours must be alive.
    if (exited(child)) {
      await stop();
      throw new Error(`clamd exited while starting: ${Buffer.concat(output).toString()}`);
    }
    if (await pong(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`clamd not ready after 30 s: ${Buffer.concat(output).toString()}`);
    }
    await sleep(50);
  }
  return {
    address: `127.0.0.1:${port}`,
    port,
    socketPath,
    directory,
    log: () => readFile(join(directory, 'clamd.log'), 'utf8').catch(() => ''),
    stop,
  };
}
