import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';

/**
 * Setuid and setgid programs that distributions' base and common packages install (Debian, Ubuntu,
 * Alpine, Fedora/RHEL): account tools, mount, ping, ssh-keysign, crontab, the PAM password helper.
 * They still fail the check, since a container rarely needs them, but at low severity: they are the
 * distribution's, audited and expected. `sudo` and `pkexec` are left out on purpose: they exist to
 * raise privileges, so finding them is worth more than a low. Paths are merged-/usr (`usr/bin/su`);
 * `bin/su` is read as `usr/bin/su`.
 */
const distributionPrograms: ReadonlySet<string> = new Set([
  'usr/bin/at',
  'usr/bin/bsd-write',
  'usr/bin/chage',
  'usr/bin/chfn',
  'usr/bin/chsh',
  'usr/bin/crontab',
  'usr/bin/dotlockfile',
  'usr/bin/expiry',
  'usr/bin/fusermount',
  'usr/bin/fusermount3',
  'usr/bin/gpasswd',
  'usr/bin/mail-lock',
  'usr/bin/mail-touchlock',
  'usr/bin/mail-unlock',
  'usr/bin/mount',
  'usr/bin/newgidmap',
  'usr/bin/newgrp',
  'usr/bin/newuidmap',
  'usr/bin/passwd',
  'usr/bin/ping',
  'usr/bin/ping6',
  'usr/bin/ssh-agent',
  'usr/bin/su',
  'usr/bin/traceroute6.iputils',
  'usr/bin/umount',
  'usr/bin/wall',
  'usr/bin/write',
  'usr/lib/dbus-1.0/dbus-daemon-launch-helper',
  'usr/lib/eject/dmcrypt-get-device',
  'usr/lib/openssh/ssh-keysign',
  'usr/lib/polkit-1/polkit-agent-helper-1',
  'usr/libexec/openssh/ssh-keysign',
  'usr/libexec/utempter/utempter',
  'usr/lib/x86_64-linux-gnu/utempter/utempter',
  'usr/lib/aarch64-linux-gnu/utempter/utempter',
  'usr/sbin/pam_extrausers_chkpwd',
  'usr/sbin/pam_timestamp_check',
  'usr/sbin/unix_chkpwd',
  'usr/sbin/userhelper',
]);

/** A path without a leading `/` or `./`. */
function imageRelative(path: string): string {
  return path.replace(/^(?:\.?\/)+/, '');
}

/** `/bin/su`, `./sbin/unix_chkpwd` → `usr/bin/su`, `usr/sbin/unix_chkpwd`. */
function mergedUsrPath(path: string): string {
  const relative = imageRelative(path);
  return /^(?:bin|sbin|lib|lib64)\//.test(relative) ? `usr/${relative}` : relative;
}

/** Whether a setuid or setgid path is one a distribution ships as such. */
export function isDistributionPrivilegedProgram(path: string): boolean {
  return distributionPrograms.has(mergedUsrPath(path));
}

/**
 * CIS Docker Benchmark 1.6.0 §4.8: setuid and setgid permissions removed from files that do not need
 * them. Every such file is listed; severity is low when all of them are programs a distribution ships
 * setuid (see above) and medium when any other is present (a program built or copied into the image,
 * sudo, pkexec).
 */
export function setuidSetgidCheck(setuid: readonly string[], setgid: readonly string[]): BaselineCheckResult {
  const modes = new Map<string, { setuid: boolean; setgid: boolean }>();
  for (const path of setuid) modes.set(path, { setuid: true, setgid: false });
  for (const path of setgid) modes.set(path, { setuid: modes.get(path)?.setuid ?? false, setgid: true });
  const paths = [...modes.keys()].sort();
  const evidence: BaselineEvidence[] = paths.map((path) => {
    const mode = modes.get(path);
    const detail = mode?.setuid && mode.setgid ? 'setuid and setgid' : mode?.setuid ? 'setuid' : 'setgid';
    return { location: imageRelative(path), detail };
  });
  const unexpected = paths.filter((path) => !isDistributionPrivilegedProgram(path));
  return {
    id: 'cis-4.8-setuid-setgid',
    title: 'No setuid or setgid files the container does not need',
    area: 'image-config',
    severity: paths.length > 0 && unexpected.length === 0 ? 'low' : 'medium',
    standard: 'CIS Docker Benchmark 1.6.0 §4.8',
    result: paths.length === 0 ? 'pass' : 'fail',
    current:
      paths.length === 0
        ? 'no setuid or setgid files'
        : `${new Set(setuid).size} setuid and ${new Set(setgid).size} setgid files` +
          (unexpected.length > 0
            ? `, ${unexpected.length} not shipped so by a distribution`
            : ', all shipped so by the distribution'),
    suggested: 'no setuid or setgid files, or only those the application needs',
    remediation:
      'Remove the bits in the last build step, keeping only the programs the container needs: RUN find / -xdev -type f -perm /6000 -exec chmod a-s {} +',
    evidence,
  };
}
