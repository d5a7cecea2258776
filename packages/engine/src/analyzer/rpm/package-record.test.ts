import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPackageRecord } from './package-record.ts';
import type { RpmPackage } from './rpm-package.ts';
import { parseSourceRpm } from './source-rpm.ts';
import { namespaceOfVendor } from './vendor-namespace.ts';

const base: RpmPackage = {
  name: 'openssl-libs',
  epoch: undefined,
  version: '1.1.1k',
  release: '7.el8_6',
  arch: 'x86_64',
  sourceRpm: 'openssl-1.1.1k-7.el8_6.src.rpm',
  size: 3757953,
  license: 'OpenSSL and ASL 2.0',
  vendor: 'Red Hat, Inc.',
  modularityLabel: '',
  summary: 'A general purpose cryptography library with TLS implementation',
  sigMd5: '0123456789abcdef0123456789abcdef',
  files: ['/', '/etc/pki/tls', '/usr/lib64/libssl.so.1.1'],
};

describe('rpm package record', () => {
  it('writes name, [epoch:]version-release, purl, licence, source, arch, vendor and root-relative files', () => {
    assert.deepEqual(toPackageRecord({ ...base, epoch: 1 }), {
      ecosystem: 'rpm',
      name: 'openssl-libs',
      version: '1:1.1.1k-7.el8_6',
      purl: 'pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&epoch=1',
      licenses: ['OpenSSL and ASL 2.0'],
      source: { name: 'openssl', version: '1.1.1k-7.el8_6' },
      arch: 'x86_64',
      epoch: 1,
      release: '7.el8_6',
      vendor: 'Red Hat, Inc.',
      files: ['etc/pki/tls', 'usr/lib64/libssl.so.1.1'],
    });
  });

  it('keeps an explicit epoch 0 as a field but out of the version and the purl', () => {
    const record = toPackageRecord({ ...base, epoch: 0 });
    assert.equal(record.version, '1.1.1k-7.el8_6');
    assert.equal(record.epoch, 0);
    assert.equal(record.purl, 'pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64');
    assert.equal('epoch' in toPackageRecord(base), false);
  });

  it('leaves out what the header lacks and keeps the modularity label', () => {
    const record = toPackageRecord({
      ...base,
      arch: '',
      sourceRpm: '',
      license: '',
      vendor: 'Microsoft Corporation',
      modularityLabel: 'nodejs:10:8020020200707141642:6a468ee4',
      files: [],
    });
    assert.deepEqual(record, {
      ecosystem: 'rpm',
      name: 'openssl-libs',
      version: '1.1.1k-7.el8_6',
      purl: 'pkg:rpm/openssl-libs@1.1.1k-7.el8_6',
      licenses: [],
      release: '7.el8_6',
      vendor: 'Microsoft Corporation',
      modularityLabel: 'nodejs:10:8020020200707141642:6a468ee4',
      files: [],
    });
  });

  it('percent-encodes purl parts through the reference implementation', () => {
    assert.equal(
      toPackageRecord({ ...base, name: 'libstdc++', vendor: '', version: '8.5.0', release: '4.el8_5' }).purl,
      'pkg:rpm/libstdc%2B%2B@8.5.0-4.el8_5?arch=x86_64',
    );
  });

  it('splits source rpm names on their last two dashes', () => {
    assert.deepEqual(parseSourceRpm('util-linux-2.32.1-42.el8_8.src.rpm'), {
      name: 'util-linux',
      version: '2.32.1',
      release: '42.el8_8',
    });
    assert.deepEqual(parseSourceRpm('kernel-5.14.0-362.8.1.el9_3.nosrc.rpm'), {
      name: 'kernel',
      version: '5.14.0',
      release: '362.8.1.el9_3',
    });
    for (const bad of [
      '',
      '(none)',
      'bash.src.rpm',
      'bash-5.1.src.rpm',
      '-1-2.src.rpm',
      'a--2.src.rpm',
      'a-1-.src.rpm',
      'a-1-2.rpm',
    ]) {
      assert.equal(parseSourceRpm(bad), undefined, bad);
    }
  });

  it('maps distribution vendors to purl namespaces', () => {
    const vendors: Record<string, string | undefined> = {
      'Red Hat, Inc.': 'redhat',
      CentOS: 'centos',
      'Rocky Enterprise Software Foundation': 'rocky',
      AlmaLinux: 'almalinux',
      'Fedora Project': 'fedora',
      'SUSE LLC <https://www.suse.com/>': 'suse',
      openSUSE: 'opensuse',
      'Amazon Linux': 'amazon',
      'Oracle America': 'oracle',
      'Microsoft Corporation': undefined,
      '': undefined,
    };
    for (const [vendor, namespace] of Object.entries(vendors))
      assert.equal(namespaceOfVendor(vendor), namespace, vendor);
  });
});
