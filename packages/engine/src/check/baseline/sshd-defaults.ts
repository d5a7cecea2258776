/**
 * What sshd uses when sshd_config says nothing: the values `sshd -T` prints for an empty
 * configuration with OpenSSH 9.2p1 (Debian bookworm's openssh-server 1:9.2p1-2+deb12u10), which
 * match upstream's documented defaults for the 9.x series.
 */
export const opensshDefaultsVersion = 'OpenSSH 9.2';

export const sshdDefaults = {
  permitrootlogin: 'prohibit-password',
  passwordauthentication: 'yes',
  permitemptypasswords: 'no',
  x11forwarding: 'no',
  maxauthtries: '6',
  ciphers: [
    'chacha20-poly1305@openssh.com',
    'aes128-ctr',
    'aes192-ctr',
    'aes256-ctr',
    'aes128-gcm@openssh.com',
    'aes256-gcm@openssh.com',
  ].join(','),
  macs: [
    'umac-64-etm@openssh.com',
    'umac-128-etm@openssh.com',
    'hmac-sha2-256-etm@openssh.com',
    'hmac-sha2-512-etm@openssh.com',
    'hmac-sha1-etm@openssh.com',
    'umac-64@openssh.com',
    'umac-128@openssh.com',
    'hmac-sha2-256',
    'hmac-sha2-512',
    'hmac-sha1',
  ].join(','),
  kexalgorithms: [
    // Debian's build lists the name without @openssh.com too (sshd -T prints both).
    'sntrup761x25519-sha512',
    'sntrup761x25519-sha512@openssh.com',
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256',
  ].join(','),
} as const;
