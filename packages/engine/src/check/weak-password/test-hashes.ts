/**
 * Real crypt(3) hashes for the tests, made by the system's tools: `mkpasswd` (Debian's whois
 * package, on libxcrypt) and `openssl passwd`. Test support only.
 */
import { execFileSync } from 'node:child_process';

export type ToolScheme =
  'des' | 'md5crypt' | 'sha256crypt' | 'sha512crypt' | 'bcrypt' | 'bcrypt-a' | 'yescrypt' | 'scrypt';

/** `mkpasswd -m scheme [-R rounds] [-S salt] password`. */
export function mkpasswd(
  scheme: ToolScheme,
  password: string,
  options: { rounds?: number; salt?: string } = {},
): string {
  const args = ['-m', scheme === 'des' ? 'descrypt' : scheme];
  if (options.rounds !== undefined) args.push('-R', String(options.rounds));
  if (options.salt !== undefined) args.push('-S', options.salt);
  // The password on standard input (`-s`), so one starting with `-` is not read as an option.
  return execFileSync('mkpasswd', [...args, '-s'], { input: `${password}\n`, encoding: 'utf8' }).trim();
}

/** `openssl passwd -1|-5|-6 -salt salt password`. */
export function opensslPasswd(variant: '1' | '5' | '6', password: string, salt: string): string {
  return execFileSync('openssl', ['passwd', `-${variant}`, '-salt', salt, '-stdin'], {
    input: `${password}\n`,
    encoding: 'utf8',
  }).trim();
}

/** A shadow line with the usual ageing fields. */
export function shadowLine(account: string, hash: string): string {
  return `${account}:${hash}:19800:0:99999:7:::`;
}

/**
 * The system's crypt(3) (libxcrypt on Debian) through Perl's `crypt`, for settings the tools do
 * not generate (yescrypt with p, t, or the scrypt and WORM flavours).
 */
export function systemCrypt(password: string, setting: string): string {
  return execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1]) // ""', password, setting], {
    encoding: 'utf8',
  });
}
