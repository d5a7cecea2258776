import { commandName } from './history-shell-commands.ts';

export type PackageManager = 'apt' | 'apk' | 'yum' | 'dnf' | 'zypper' | 'pip';

/**
 * What a package-manager command does: `update` refreshes the package indexes, `install` installs
 * or upgrades packages (and reads the indexes), `clean` removes the caches.
 */
export type PackageAction = 'update' | 'install' | 'clean' | 'other';

export interface PackageCommand {
  readonly manager: PackageManager;
  readonly action: PackageAction;
  /** The subcommand as written (`install`, `add`, `makecache`); empty when there is none. */
  readonly subcommand: string;
  /** The words after the subcommand, options included. */
  readonly arguments: readonly string[];
  /** The options before the subcommand (`apk --no-cache add`, `apt-get -y install`). */
  readonly globalOptions: readonly string[];
}

interface ManagerGrammar {
  readonly manager: PackageManager;
  /** Options before the subcommand that take the next word as their value. */
  readonly valued: ReadonlySet<string>;
  readonly actions: Readonly<Record<string, PackageAction>>;
}

const apt: ManagerGrammar = {
  manager: 'apt',
  valued: new Set([
    '-o',
    '--option',
    '-c',
    '--config-file',
    '-t',
    '--target-release',
    '-a',
    '--host-architecture',
  ]),
  actions: {
    update: 'update',
    install: 'install',
    reinstall: 'install',
    upgrade: 'install',
    'dist-upgrade': 'install',
    'full-upgrade': 'install',
    'build-dep': 'install',
    'safe-upgrade': 'install',
    clean: 'clean',
    distclean: 'clean',
    'dist-clean': 'clean',
  },
};
const apk: ManagerGrammar = {
  manager: 'apk',
  valued: new Set([
    '-X',
    '--repository',
    '-p',
    '--root',
    '--arch',
    '--cache-dir',
    '--keys-dir',
    '--repositories-file',
  ]),
  actions: { update: 'update', add: 'install', upgrade: 'install', fix: 'install', cache: 'clean' },
};
const rpmActions: Readonly<Record<string, PackageAction>> = {
  makecache: 'update',
  install: 'install',
  reinstall: 'install',
  localinstall: 'install',
  groupinstall: 'install',
  update: 'install',
  upgrade: 'install',
  'distro-sync': 'install',
  clean: 'clean',
};
const rpmValued = new Set([
  '-c',
  '--config',
  '--installroot',
  '--releasever',
  '--enablerepo',
  '--disablerepo',
  '--repo',
  '--repoid',
  '-x',
  '--exclude',
  '-d',
  '--debuglevel',
  '-e',
  '--errorlevel',
  '--setopt',
]);
const yum: ManagerGrammar = { manager: 'yum', valued: rpmValued, actions: rpmActions };
const dnf: ManagerGrammar = { manager: 'dnf', valued: rpmValued, actions: rpmActions };
const zypper: ManagerGrammar = {
  manager: 'zypper',
  valued: new Set([
    '-c',
    '--config',
    '-R',
    '--root',
    '--installroot',
    '-D',
    '--reposd-dir',
    '-C',
    '--cache-dir',
  ]),
  actions: {
    refresh: 'update',
    ref: 'update',
    install: 'install',
    in: 'install',
    update: 'install',
    up: 'install',
    'dist-upgrade': 'install',
    dup: 'install',
    clean: 'clean',
    cc: 'clean',
  },
};
const pip: ManagerGrammar = {
  manager: 'pip',
  valued: new Set([
    '--index-url',
    '-i',
    '--extra-index-url',
    '--trusted-host',
    '--proxy',
    '--cert',
    '--client-cert',
    '--cache-dir',
    '--log',
    '--timeout',
    '--retries',
    '--python',
  ]),
  actions: { install: 'install', download: 'install', wheel: 'install', cache: 'clean' },
};

const grammars: Readonly<Record<string, ManagerGrammar>> = {
  'apt-get': apt,
  apt,
  aptitude: apt,
  apk,
  yum,
  dnf,
  dnf5: dnf,
  microdnf: dnf,
  tdnf: dnf,
  zypper,
  pip,
  pip3: pip,
};

/** `pip3.12`, `python3 -m pip`, `python -m pip`: the words after the program that is pip. */
function pipWords(words: readonly string[]): readonly string[] | undefined {
  const name = commandName(words[0]);
  if (/^pip\d+(?:\.\d+)?$/.test(name)) return words.slice(1);
  if (/^python(?:\d+(?:\.\d+)?)?$/.test(name) && words[1] === '-m' && words[2] === 'pip')
    return words.slice(3);
  return undefined;
}

/** The package-manager operation of a (wrapper-free) command, or `undefined` when it runs no package manager. */
export function packageCommand(words: readonly string[]): PackageCommand | undefined {
  let grammar = grammars[commandName(words[0])];
  let rest: readonly string[] = words.slice(1);
  if (grammar === undefined) {
    const pipRest = pipWords(words);
    if (pipRest === undefined) return undefined;
    grammar = pip;
    rest = pipRest;
  }
  let at = 0;
  while (at < rest.length && (rest[at] ?? '').startsWith('-'))
    at += grammar.valued.has(rest[at] ?? '') ? 2 : 1;
  const subcommand = rest[at] ?? '';
  return {
    manager: grammar.manager,
    action: grammar.actions[subcommand] ?? 'other',
    subcommand,
    arguments: rest.slice(at + 1),
    globalOptions: rest.slice(0, Math.min(at, rest.length)),
  };
}
