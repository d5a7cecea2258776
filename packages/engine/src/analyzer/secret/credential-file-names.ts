/**
 * Files that hold credentials by their very name: the tools' own credential stores (AWS, git,
 * npm, PyPI, Docker, PostgreSQL, netrc, s3cmd, htpasswd, kubeconfig, OCI CLI), SSH private keys
 * and key stores. Most of them are a few hundred bytes; one over the secret scanner's size cap
 * is reported as not searched (`file_too_large`), where any other large file is simply not a
 * candidate (a 2 GB database is no finding, nor worth a diagnostic).
 */
const credentialFileName =
  /(?:^|\/)(?:\.aws\/(?:credentials|config)|\.git-credentials|\.?npmrc|\.pypirc|\.docker\/config\.json|\.dockercfg|\.pgpass|[._]netrc|\.s3cfg|\.?htpasswd|\.kube\/config|\.oci\/config|id_(?:rsa|dsa|ecdsa|ed25519)|[^/]+\.(?:p12|pfx|jks|keystore|jceks|bks|pem|key))$/i;

export function isCredentialFileName(path: string): boolean {
  return credentialFileName.test(path);
}
