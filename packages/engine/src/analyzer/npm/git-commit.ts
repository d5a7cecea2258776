const hexCommit = /^[0-9a-f]{7,40}$/i;
const codeloadTarball = /^https?:\/\/codeload\.github\.com\/[^/]+\/[^/]+\/tar\.gz\/([0-9a-f]{7,40})$/i;
const archiveRef = /[?&]ref=([0-9a-f]{40})(?:&|$)/i;
const tarball = /\.(?:tgz|tar\.gz|tar|zip)$/i;

/**
 * The git commit a resolved URL pins, or `undefined` when it pins none: the `#<sha>` fragment of a
 * git URL or hosted shorthand (`git+ssh://git@github.com/a/b.git#<sha>`, `github:a/b#<sha>`, yarn
 * berry's `#commit=<sha>`), GitHub's codeload tarballs (`.../tar.gz/<sha>`) and GitLab archives
 * (`?ref=<sha>`). The `#<sha1>` that yarn appends to registry tarball URLs is a checksum, not a commit.
 */
export function commitOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  const codeload = codeloadTarball.exec(url);
  if (codeload) return codeload[1];
  const ref = archiveRef.exec(url);
  if (ref) return ref[1];
  const hash = url.indexOf('#');
  if (hash < 0) return undefined;
  const base = url.slice(0, hash);
  if (tarball.test(base)) return undefined;
  const fragment = url.slice(hash + 1).replace(/^commit[=:]/, '');
  return hexCommit.test(fragment) ? fragment : undefined;
}
