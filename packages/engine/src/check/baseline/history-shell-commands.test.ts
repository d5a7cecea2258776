import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandName, shellCommands, unwrapCommand } from './history-shell-commands.ts';

const words = (script: string) => shellCommands(script).map((command) => command.words);

describe('shellCommands', () => {
  it('splits on &&, ||, ;, & and newlines', () => {
    assert.deepEqual(
      words('apt-get update && apt-get install -y curl || true; rm -rf /var/lib/apt/lists/*\nsleep 1 & wait'),
      [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', 'curl'],
        ['true'],
        ['rm', '-rf', '/var/lib/apt/lists/*'],
        ['sleep', '1'],
        ['wait'],
      ],
    );
  });

  it('numbers pipelines and their stages; a newline after | continues the pipeline', () => {
    const commands = shellCommands('curl -fsSL https://get.example.sh |\n  sudo -E bash - && echo done');
    assert.deepEqual(
      commands.map((command) => [command.words[0], command.pipeline, command.stage]),
      [
        ['curl', 0, 0],
        ['sudo', 0, 1],
        ['echo', 1, 0],
      ],
    );
  });

  it('honours quotes, escapes and line continuations', () => {
    assert.deepEqual(words(`echo 'a && b' "c \\"d\\" $HOME" e\\ f \\\n  g`), [
      ['echo', 'a && b', 'c "d" $HOME', 'e f', 'g'],
    ]);
    assert.deepEqual(words(`printf '%s\\n' "x;y" | tee /tmp/out`), [
      ['printf', '%s\\n', 'x;y'],
      ['tee', '/tmp/out'],
    ]);
  });

  it('skips comments and drops redirection operators', () => {
    assert.deepEqual(words('# install\nmake install 2>&1 > /tmp/log # quietly\ncat < in'), [
      ['make', 'install', '/tmp/log'],
      ['cat', 'in'],
    ]);
    assert.deepEqual(words('echo a#b'), [['echo', 'a#b']]);
  });

  it('separates leading assignments and reserved words from the command', () => {
    const [first, second] = shellCommands(
      'PIP_NO_CACHE_DIR=1 DEBUG= pip install x; if true; then apt-get install -y y; fi',
    );
    assert.deepEqual(first?.assignments, ['PIP_NO_CACHE_DIR=1', 'DEBUG=']);
    assert.deepEqual(first?.words, ['pip', 'install', 'x']);
    assert.deepEqual(second?.words, ['true']);
    assert.deepEqual(words('if true; then apt-get install -y y; fi').at(1), [
      'apt-get',
      'install',
      '-y',
      'y',
    ]);
  });

  it('reads command substitutions and subshells as commands of their own', () => {
    assert.deepEqual(words('VERSION=$(curl -fsS https://example.com/v) && (cd /src && make)'), [
      [],
      ['curl', '-fsS', 'https://example.com/v'],
      ['cd', '/src'],
      ['make'],
    ]);
  });
});

describe('unwrapCommand', () => {
  it('removes sudo, env, gosu and their options', () => {
    assert.deepEqual(unwrapCommand(['sudo', '-E', '-u', 'root', 'env', 'A=1', 'apt-get', 'install', 'x']), {
      wrappers: ['sudo', 'env'],
      command: ['apt-get', 'install', 'x'],
    });
    assert.deepEqual(unwrapCommand(['gosu', 'app', 'npm', 'ci']), {
      wrappers: ['gosu'],
      command: ['npm', 'ci'],
    });
    assert.deepEqual(unwrapCommand(['apt-get', 'install', 'sudo']), {
      wrappers: [],
      command: ['apt-get', 'install', 'sudo'],
    });
    // `sudo` alone runs nothing.
    assert.deepEqual(unwrapCommand(['sudo']), { wrappers: [], command: ['sudo'] });
  });
});

describe('commandName', () => {
  it('keeps the last path segment', () => {
    assert.equal(commandName('/usr/bin/curl'), 'curl');
    assert.equal(commandName('wget'), 'wget');
    assert.equal(commandName(undefined), '');
  });
});
