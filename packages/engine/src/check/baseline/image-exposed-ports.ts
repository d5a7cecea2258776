import type { BaselineCheckResult, BaselineEvidence, BaselineSeverity } from './check-result.ts';

interface SensitivePort {
  readonly service: string;
  readonly severity: BaselineSeverity;
  readonly protocols: readonly string[];
}

/**
 * Ports of services that give a shell, a desktop or control over the host, or that send credentials in
 * clear text; a container image rarely has a reason to offer them. High: clear-text logins and the
 * unauthenticated Docker API (control of the host). Medium: encrypted remote access and file sharing
 * that still widen what an attacker can reach.
 */
const sensitivePorts: ReadonlyMap<number, SensitivePort> = new Map([
  [21, { service: 'FTP (clear-text logins)', severity: 'high', protocols: ['tcp'] }],
  [22, { service: 'SSH (remote shell)', severity: 'medium', protocols: ['tcp'] }],
  [23, { service: 'Telnet (clear-text remote shell)', severity: 'high', protocols: ['tcp'] }],
  [69, { service: 'TFTP (unauthenticated file transfer)', severity: 'medium', protocols: ['udp'] }],
  [111, { service: 'RPC portmapper', severity: 'medium', protocols: ['tcp', 'udp'] }],
  [135, { service: 'Microsoft RPC', severity: 'medium', protocols: ['tcp'] }],
  [139, { service: 'NetBIOS session (SMB)', severity: 'medium', protocols: ['tcp'] }],
  [445, { service: 'SMB file sharing', severity: 'medium', protocols: ['tcp'] }],
  [512, { service: 'rexec (clear-text remote execution)', severity: 'high', protocols: ['tcp'] }],
  [513, { service: 'rlogin (clear-text remote login)', severity: 'high', protocols: ['tcp'] }],
  [514, { service: 'rsh (clear-text remote shell)', severity: 'high', protocols: ['tcp'] }],
  [2375, { service: 'Docker API without TLS (control of the host)', severity: 'high', protocols: ['tcp'] }],
  [2376, { service: 'Docker API (control of the host)', severity: 'medium', protocols: ['tcp'] }],
  [3389, { service: 'RDP (remote desktop)', severity: 'medium', protocols: ['tcp', 'udp'] }],
  [5800, { service: 'VNC over HTTP (remote desktop)', severity: 'medium', protocols: ['tcp'] }],
  [5900, { service: 'VNC (remote desktop)', severity: 'medium', protocols: ['tcp'] }],
  [5901, { service: 'VNC display 1 (remote desktop)', severity: 'medium', protocols: ['tcp'] }],
  [6000, { service: 'X11 (display server)', severity: 'medium', protocols: ['tcp'] }],
]);

const severityRank: Readonly<Record<BaselineSeverity, number>> = { critical: 3, high: 2, medium: 1, low: 0 };

/** `22/tcp`, `53/udp`, `8080` (no protocol: tcp) → port and protocol; `undefined` for anything else. */
function parsePort(exposed: string): { port: number; protocol: string } | undefined {
  const match = /^(\d{1,5})(?:\/([a-z]+))?$/i.exec(exposed.trim());
  if (match === null) return undefined;
  return { port: Number(match[1]), protocol: (match[2] ?? 'tcp').toLowerCase() };
}

/**
 * Drydock: the image exposes no port of a sensitive service (remote shells and desktops, clear-text
 * logins, file sharing, the Docker API). Severity is that of the worst port exposed.
 */
export function sensitivePortsCheck(exposedPorts: readonly string[]): BaselineCheckResult {
  const evidence: BaselineEvidence[] = [];
  let severity: BaselineSeverity | undefined;
  for (const exposed of [...exposedPorts].sort()) {
    const parsed = parsePort(exposed);
    const known = parsed === undefined ? undefined : sensitivePorts.get(parsed.port);
    if (parsed === undefined || known === undefined || !known.protocols.includes(parsed.protocol)) continue;
    evidence.push({
      location: `config:exposed-port/${parsed.port}/${parsed.protocol}`,
      detail: `EXPOSE ${parsed.port}/${parsed.protocol}: ${known.service}`,
    });
    if (severity === undefined || severityRank[known.severity] > severityRank[severity])
      severity = known.severity;
  }
  return {
    id: 'drydock-sensitive-exposed-port',
    title: 'No sensitive service port exposed',
    area: 'image-config',
    severity: severity ?? 'high',
    standard: 'Drydock',
    result: evidence.length > 0 ? 'fail' : 'pass',
    current: exposedPorts.length === 0 ? 'no ports exposed' : `EXPOSE ${[...exposedPorts].sort().join(' ')}`,
    suggested: 'only the ports of the application itself',
    remediation:
      'Remove the EXPOSE and the service behind it (an SSH or VNC server has no place in an application image); reach containers with docker exec or kubectl exec, and serve the Docker API, if at all, over TLS on a separate host.',
    evidence,
  };
}
