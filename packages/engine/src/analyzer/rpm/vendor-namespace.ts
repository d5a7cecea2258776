/** Vendor prefixes (lower case, letters and digits only) and the PURL namespace each stands for. */
const vendorPrefixes: readonly (readonly [string, string])[] = [
  ['redhat', 'redhat'],
  ['centos', 'centos'],
  ['rocky', 'rocky'],
  ['almalinux', 'almalinux'],
  ['fedora', 'fedora'],
  ['opensuse', 'opensuse'],
  ['suse', 'suse'],
  ['amazon', 'amazon'],
  ['oracle', 'oracle'],
];

/**
 * The PURL namespace (https://github.com/package-url/purl-spec, type `rpm`: "the namespace is the
 * vendor such as fedora or opensuse") for a package's VENDOR, when it names a known distribution:
 * "Red Hat, Inc." → `redhat`, "CentOS" → `centos`, "SUSE LLC <https://www.suse.com/>" → `suse`.
 * Unknown vendors get none; the inventory may set it from the operating system.
 */
export function namespaceOfVendor(vendor: string): string | undefined {
  const key = vendor.toLowerCase().replace(/[^a-z0-9]/g, '');
  return vendorPrefixes.find(([prefix]) => key.startsWith(prefix))?.[1];
}
