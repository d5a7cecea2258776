#!/usr/bin/env bash
# Installs the Debian packages Drydock's tests and benchmarks use, once: packages already present
# are not fetched again, so a second run takes well under a second.
set -euo pipefail
packages=(
  # images and registries
  docker-registry skopeo umoci apache2-utils openssl jq zstd pigz tar gzip ca-certificates curl
  # real root filesystems and package databases for inventory tests
  mmdebstrap debootstrap rpm db5.3-util sqlite3 golang-go
  python3 python3-requests python3-yaml python3-six
  # version and matching oracles: python3-apt (dpkg), python3-rpm (rpm), python3-packaging (PEP 440), Go x/mod
  python3-apt python3-rpm python3-packaging golang-golang-x-mod-dev golang-github-knqyf263-go-apk-version-dev libmaven3-core-java
  # the JDK's jar tool builds the Java archive fixtures
  openjdk-17-jdk-headless
  # rustc and objcopy build the cargo-auditable fixture
  rustc binutils
  clamav clamav-daemon yara  # a real clamd (and the YARA CLI) for the malware engine tests
  whois  # mkpasswd: real crypt(3) hashes (yescrypt, bcrypt, sha-crypt, md5, DES) for the weak-password tests
  postgresql  # a real PostgreSQL server for the service tests (the embedded PGlite is the default)
  chromium  # the browser playwright-core drives in the console's end-to-end tests
)
# kubectl's built-in kustomize renders the Kubernetes manifests in test/deploy: Debian's client,
# unless a kubectl from elsewhere is installed (its /usr/bin/kubectl would clash with the package's).
command -v kubectl >/dev/null || packages+=(kubernetes-client)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "drydock: installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
