import { isValidProjectName } from './package-name.ts';
import { parsed, type PythonPackage, type PythonParse } from './python-package.ts';

/** `name[extras] == version` or `===` (arbitrary equality), spaces allowed around the parts. */
const pinned = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(===?)\s*(\S+)$/;
/** PEP 440 version characters, plus the local part; wildcards (`1.2.*`) are ranges, not pins. */
const versionText = /^[A-Za-z0-9][A-Za-z0-9.+!_-]*$/;
/** A per-requirement option (`--hash=...`, `-C key=value`) starts a new word. */
const option = /\s-{1,2}[A-Za-z]/;

/**
 * Reads the pinned requirements of a pip requirements file
 * (https://pip.pypa.io/en/stable/reference/requirements-file-format/): lines `name==version` (PEP 508
 * requirement with an exact `==` or `===` pin and no wildcard; https://peps.python.org/pep-0508/).
 * Lines ending in `\` continue on the next; `#` starts a comment; option lines (`-r other.txt`,
 * `--index-url`, `-e path`) and per-requirement options (`--hash=...`) are skipped, as are environment
 * markers after `;`, URLs, paths and every requirement that allows more than one version. Included
 * files are not followed: an analyzer sees one file. Requirements state no development flag.
 */
export function parseRequirements(text: string): PythonParse {
  const packages: PythonPackage[] = [];
  for (const logical of logicalLines(text)) {
    const line = stripComment(logical).trim();
    if (line === '' || line.startsWith('-')) continue;
    const optionAt = line.search(option);
    const requirement = (optionAt < 0 ? line : line.slice(0, optionAt)).split(';')[0]?.trim() ?? '';
    // `name @ url` direct references and bare URLs or paths pin no registry version.
    if (requirement.includes('@') || requirement.includes('://')) continue;
    const match = pinned.exec(requirement);
    if (!match) continue;
    const [, name = '', , version = ''] = match;
    if (!isValidProjectName(name) || !versionText.test(version)) continue;
    packages.push({ name, version, dev: undefined, licenses: [], commit: undefined });
  }
  return parsed(packages);
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending !== '') lines.push(pending);
  return lines;
}

/** Drops a `#` comment; versions and names never contain `#`, so it need not follow whitespace. */
function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}
