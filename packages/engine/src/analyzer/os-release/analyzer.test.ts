import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fact } from '../fact.ts';
import { osReleaseAnalyzer } from './analyzer.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };

async function analyze(path: string, text: string): Promise<readonly Fact[]> {
  const content = Buffer.from(text);
  return osReleaseAnalyzer.analyze(
    { path, size: content.length, mode: 0o100644, content },
    { layer, signal: new AbortController().signal },
  );
}

function osOf(facts: readonly Fact[]) {
  const fact = facts[0];
  assert.ok(fact && fact.kind === 'os', 'expected an os fact');
  return fact;
}

describe('os-release analyzer', () => {
  it('reads Debian 12 os-release', async () => {
    const fact = osOf(
      await analyze(
        'usr/lib/os-release',
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n',
      ),
    );
    assert.equal(fact.source, 'os-release');
    assert.deepEqual(fact.os, {
      family: 'debian',
      id: 'debian',
      name: 'Debian GNU/Linux',
      versionId: '12',
      versionCodename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      idLike: [],
    });
  });

  it('files RHEL rebuilds and derivatives under their family through ID and ID_LIKE', async () => {
    const alma = osOf(
      await analyze(
        'etc/os-release',
        'NAME="AlmaLinux"\nVERSION="8.9 (Midnight Oncilla)"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="8.9"\n',
      ),
    );
    assert.equal(alma.os.family, 'almalinux');
    assert.equal(alma.os.versionId, '8.9');
    const mint = osOf(
      await analyze(
        'etc/os-release',
        'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\nVERSION_ID="21.2"\n',
      ),
    );
    assert.equal(mint.os.family, 'ubuntu');
    const amazon = osOf(
      await analyze(
        'etc/os-release',
        'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\nVERSION_ID="2"\n',
      ),
    );
    assert.equal(amazon.os.family, 'amazon');
  });

  it('reads Alpine release and Debian version files', async () => {
    assert.equal(osOf(await analyze('etc/alpine-release', '3.18.4\n')).os.versionId, '3.18.4');
    const debian = osOf(await analyze('etc/debian_version', '12.5\n'));
    assert.equal(debian.source, 'debian_version');
    assert.equal(debian.os.versionId, '12.5');
  });

  it('tells CentOS from RHEL in redhat-release', async () => {
    const centos = osOf(await analyze('etc/redhat-release', 'CentOS Linux release 7.9.2009 (Core)\n'));
    assert.equal(centos.os.family, 'centos');
    assert.equal(centos.os.versionId, '7.9.2009');
    const rhel = osOf(await analyze('etc/redhat-release', 'Red Hat Enterprise Linux release 9.3 (Plow)\n'));
    assert.equal(rhel.os.family, 'redhat');
    assert.equal(rhel.os.versionId, '9.3');
  });

  it('reads lsb-release and handles escapes and comments', async () => {
    const ubuntu = osOf(
      await analyze(
        'etc/lsb-release',
        'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.3 LTS"\n',
      ),
    );
    assert.equal(ubuntu.os.family, 'ubuntu');
    assert.equal(ubuntu.os.versionCodename, 'jammy');
    const quoted = osOf(await analyze('etc/os-release', '# comment\nID=test\nNAME="A \\"quoted\\" name"\n'));
    assert.equal(quoted.os.name, 'A "quoted" name');
    assert.equal(quoted.os.family, 'unknown');
  });

  it('ignores files without an identity', async () => {
    assert.deepEqual(await analyze('etc/os-release', 'NAME=nothing\n'), []);
    assert.deepEqual(await analyze('etc/alpine-release', 'garbage\n'), []);
    assert.deepEqual(await analyze('etc/debian_version', '\n'), []);
  });
});
