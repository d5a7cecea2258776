import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packageCommand } from './history-package-command.ts';

const summary = (line: string) => {
  const command = packageCommand(line.split(' '));
  return command === undefined ? undefined : [command.manager, command.action, command.subcommand];
};

describe('packageCommand', () => {
  it('finds the subcommand past options and their values', () => {
    assert.deepEqual(summary('apt-get -qq update'), ['apt', 'update', 'update']);
    assert.deepEqual(summary('apt-get -o Dpkg::Options::=--force-confold -y install nginx'), [
      'apt',
      'install',
      'install',
    ]);
    assert.deepEqual(summary('/usr/bin/apt install -y git'), ['apt', 'install', 'install']);
    assert.deepEqual(summary('apk --no-cache add curl'), ['apk', 'install', 'add']);
    assert.deepEqual(summary('apk -X https://mirror/edge/main update'), ['apk', 'update', 'update']);
    assert.deepEqual(summary('yum -y makecache'), ['yum', 'update', 'makecache']);
    assert.deepEqual(summary('microdnf --setopt install_weak_deps=0 install tar'), [
      'dnf',
      'install',
      'install',
    ]);
    assert.deepEqual(summary('dnf clean all'), ['dnf', 'clean', 'clean']);
    assert.deepEqual(summary('zypper --non-interactive ref'), ['zypper', 'update', 'ref']);
    assert.deepEqual(summary('zypper -n in vim'), ['zypper', 'install', 'in']);
  });

  it('recognises pip under its names and as a python module', () => {
    assert.deepEqual(summary('pip install flask'), ['pip', 'install', 'install']);
    assert.deepEqual(summary('pip3.12 install flask'), ['pip', 'install', 'install']);
    assert.deepEqual(summary('python3 -m pip install --upgrade pip'), ['pip', 'install', 'install']);
    assert.deepEqual(summary('/usr/local/bin/python -m pip cache purge'), ['pip', 'clean', 'cache']);
    assert.equal(summary('python3 -m venv /venv'), undefined);
  });

  it('keeps options before and after the subcommand', () => {
    const add = packageCommand(['apk', '--no-cache', 'add', '--virtual', '.build-deps', 'gcc']);
    assert.deepEqual(add?.globalOptions, ['--no-cache']);
    assert.deepEqual(add?.arguments, ['--virtual', '.build-deps', 'gcc']);
  });

  it('is undefined for other programs and `other` for other subcommands', () => {
    assert.equal(summary('curl -fsSL x'), undefined);
    assert.deepEqual(summary('apt-cache policy'), undefined);
    assert.deepEqual(summary('apt-get autoremove -y'), ['apt', 'other', 'autoremove']);
  });
});
