import { parseDeb822 } from './deb822.ts';

/** Distinct licences kept per copyright file, and the longest name kept: bounds for hostile input. */
const maxLicenses = 64;
const maxNameLength = 200;

/** DEP-5 files open with a `Format:` field (`Format-Specification:` in the drafts before 1.0). */
const machineReadable = /^\s*Format(?:-Specification)?\s*:/i;
/** `/usr/share/common-licenses/GPL-2` and the like, as free-form copyright files refer to them. */
const commonLicense = /\/usr\/share\/common-licenses\/([A-Za-z0-9][A-Za-z0-9.+_-]{0,63})/g;

function add(licenses: string[], name: string): void {
  if (name === '' || name.length > maxNameLength) return;
  if (licenses.length < maxLicenses && !licenses.includes(name)) licenses.push(name);
}

/**
 * The licence short names of a machine-readable copyright file
 * (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/): the synopsis (first line) of
 * every `License` field, whether in the header, a `Files` paragraph or a stand-alone `License`
 * paragraph, distinct, in file order and as written (`GPL-2+`, `GPL-1+ or Artistic`).
 */
function dep5Licenses(text: string): string[] {
  const licenses: string[] = [];
  for (const { fields } of parseDeb822(text).paragraphs) {
    const license = fields.get('license');
    if (license !== undefined) add(licenses, license.split('\n')[0]?.trim() ?? '');
  }
  return licenses;
}

/**
 * The licences of a free-form copyright file: the files of `/usr/share/common-licenses/` it points to
 * ("On Debian systems, the complete text of the GNU General Public License can be found in
 * `/usr/share/common-licenses/GPL-2'"), distinct and in file order, named as those files are.
 * https://www.debian.org/doc/debian-policy/ch-docs.html#copyright-information
 */
function commonLicenseReferences(text: string): string[] {
  const licenses: string[] = [];
  for (const match of text.matchAll(commonLicense)) {
    add(licenses, (match[1] ?? '').replace(/[._-]+$/, ''));
    if (licenses.length >= maxLicenses) break;
  }
  return licenses;
}

/**
 * The licences a package's `usr/share/doc/NAME/copyright` declares: the DEP-5 `License` synopses of a
 * machine-readable file, else the common-licenses files a free-form one refers to; empty when neither
 * names any.
 */
export function copyrightLicenses(text: string): string[] {
  const dep5 = machineReadable.test(text.slice(0, 1024)) ? dep5Licenses(text) : [];
  return dep5.length > 0 ? dep5 : commonLicenseReferences(text);
}
