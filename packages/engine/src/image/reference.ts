import { DrydockError } from '../util/errors.ts';

/**
 * Image references, following the grammar of github.com/distribution/reference (`reference.go`,
 * `normalize.go`) with Docker's normalisation: a name without a registry lives on Docker Hub
 * (`docker.io`), a single-component Docker Hub name lives under `library/`, and a reference with
 * neither a tag nor a digest means the tag `latest`.
 *
 * ```
 * reference        := name [ ":" tag ] [ "@" digest ]
 * name             := [domain '/'] remote-name
 * domain           := host [':' port-number]
 * host             := domain-name | IPv4address | '[' IPv6address ']'
 * domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 * path-component   := /[a-z0-9]+/ [separator /[a-z0-9]+/]*      separator := /[_.]|__|[-]+/
 * tag              := /[\w][\w.-]{0,127}/
 * digest           := algorithm ":" hex
 * ```
 *
 * Repository names in the distribution API: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */

/** Docker Hub's name in references, and the host that serves its registry API. */
export const dockerHubRegistry = 'docker.io';
export const dockerHubApiHost = 'registry-1.docker.io';
const legacyDockerHubNames: ReadonlySet<string> = new Set(['index.docker.io', 'registry-1.docker.io']);
const officialRepositoryPrefix = 'library/';
export const defaultTag = 'latest';

/** Total length of a normalised name (domain + "/" + path), as in distribution/reference. */
export const maxNameLength = 255;

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteNamePattern = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6Address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainPattern = new RegExp(`^(?:${domainName}|${ipv6Address})(?::[0-9]+)?$`);
const tagPattern = /^\w[\w.-]{0,127}$/;
/** The digest shape of the grammar; only registered algorithms are then accepted (go-digest). */
const digestShape = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const registeredDigests: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };
/** A bare 64-hex string is an image id, never a repository name (normalize.go). */
const identifierPattern = /^[a-f0-9]{64}$/;

/** A parsed, normalised image reference. `tag` is `latest` when the text had neither tag nor digest. */
export class ImageReference {
  /** Registry as written in references (`docker.io`, `localhost:5000`, `[::1]:5000`). */
  readonly registry: string;
  /** Repository path within the registry (`library/alpine`). */
  readonly repository: string;
  /** Tag; undefined when the reference names only a digest. */
  readonly tag: string | undefined;
  /** Manifest digest; when both are given the digest wins for pulling. */
  readonly digest: string | undefined;

  constructor(parts: {
    readonly registry: string;
    readonly repository: string;
    readonly tag?: string | undefined;
    readonly digest?: string | undefined;
  }) {
    this.registry = parts.registry;
    this.repository = parts.repository;
    this.tag = parts.tag ?? (parts.digest === undefined ? defaultTag : undefined);
    this.digest = parts.digest;
  }

  /** `registry/repository`, fully qualified. */
  get name(): string {
    return `${this.registry}/${this.repository}`;
  }

  /** The shortest form Docker prints: `alpine:3.19` for `docker.io/library/alpine:3.19`. */
  get familiarName(): string {
    return `${familiarRepository(this.registry, this.repository)}${this.#suffix()}`;
  }

  /** What to ask the registry for: the digest when there is one, else the tag. */
  get pullReference(): string {
    return this.digest ?? this.tag ?? defaultTag;
  }

  /** The host (and port) that serves the registry API (`registry-1.docker.io` for Docker Hub). */
  get apiHost(): string {
    return registryApiHost(this.registry);
  }

  /** Fully qualified form, `docker.io/library/alpine:latest`; parses back to an equal reference. */
  toString(): string {
    return `${this.name}${this.#suffix()}`;
  }

  #suffix(): string {
    return `${this.tag === undefined ? '' : `:${this.tag}`}${this.digest === undefined ? '' : `@${this.digest}`}`;
  }
}

function invalid(text: string, why: string, reason: string): DrydockError {
  const shown = JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  return new DrydockError('invalid_reference', `invalid image reference ${shown}: ${why}`, { reason });
}

/** `docker.io/library/alpine` → `alpine`, `docker.io/bitnami/redis` → `bitnami/redis`, others unchanged. */
export function familiarRepository(registry: string, repository: string): string {
  if (registry !== dockerHubRegistry) return `${registry}/${repository}`;
  const rest = repository.startsWith(officialRepositoryPrefix)
    ? repository.slice(officialRepositoryPrefix.length)
    : repository;
  return rest.includes('/') ? repository : rest;
}

/** The registry API host for a registry name as written in references. */
export function registryApiHost(registry: string): string {
  return registry === dockerHubRegistry ? dockerHubApiHost : registry;
}

/** Docker's rule (normalize.go `splitDockerDomain`): the first component is a domain when it looks like one. */
function splitDomain(name: string): { readonly domain: string; readonly remainder: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const looksLikeDomain =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let domain = looksLikeDomain ? first : dockerHubRegistry;
  let remainder = looksLikeDomain ? name.slice(slash + 1) : name;
  if (legacyDockerHubNames.has(domain)) domain = dockerHubRegistry;
  if (domain === dockerHubRegistry && !remainder.includes('/'))
    remainder = `${officialRepositoryPrefix}${remainder}`;
  return { domain, remainder };
}

function parseDigestPart(text: string, digest: string): string {
  if (!digestShape.test(digest)) throw invalid(text, 'the digest is not algorithm:hex', 'invalid_digest');
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = registeredDigests[algorithm];
  if (length === undefined)
    throw invalid(text, `unsupported digest algorithm ${algorithm}`, 'invalid_digest');
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    throw invalid(text, `a ${algorithm} digest has ${length} lowercase hex digits`, 'invalid_digest');
  }
  return digest;
}

/**
 * Parses an image reference (`alpine`, `ghcr.io/org/app:1.2`, `localhost:5000/foo@sha256:…`,
 * `[::1]:5000/foo:tag`). Throws DrydockError `invalid_reference` for anything else.
 */
export function parseReference(text: string): ImageReference {
  if (typeof text !== 'string' || text.length === 0) throw invalid(String(text), 'empty reference', 'empty');
  if (identifierPattern.test(text)) {
    throw invalid(
      text,
      'a 64-character hexadecimal string is an image id, not a repository name',
      'identifier',
    );
  }
  const at = text.indexOf('@');
  const namePart = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? undefined : parseDigestPart(text, text.slice(at + 1));

  const lastSlash = namePart.lastIndexOf('/');
  const colon = namePart.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? namePart : namePart.slice(0, colon);
  const tag = colon === -1 ? undefined : namePart.slice(colon + 1);
  if (tag !== undefined && !tagPattern.test(tag)) {
    throw invalid(
      text,
      'a tag is up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
      'invalid_tag',
    );
  }
  if (name.length === 0) throw invalid(text, 'the repository name is empty', 'invalid_name');

  const { domain, remainder } = splitDomain(name);
  if (!domainPattern.test(domain))
    throw invalid(text, `invalid registry ${JSON.stringify(domain)}`, 'invalid_domain');
  if (remainder.toLowerCase() !== remainder)
    throw invalid(text, 'the repository name must be lowercase', 'uppercase');
  if (!remoteNamePattern.test(remainder)) {
    throw invalid(
      text,
      'repository path components are lowercase letters and digits joined by ".", "_", "__" or "-"',
      'invalid_name',
    );
  }
  if (domain.length + 1 + remainder.length > maxNameLength) {
    throw invalid(text, `the name is longer than ${maxNameLength} characters`, 'name_too_long');
  }
  return new ImageReference({ registry: domain, repository: remainder, tag, digest });
}

/** True for registries on this machine, where plain HTTP is accepted without being asked. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(0, registry.indexOf(']') + 1)
    : (registry.split(':')[0] ?? '');
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** A repository path as the distribution spec allows it in URLs (`<name>`), at most 255 characters. */
export function isValidRepository(repository: string): boolean {
  return repository.length <= maxNameLength && remoteNamePattern.test(repository);
}

/** A tag (`[\w][\w.-]{0,127}`). */
export function isValidTag(tag: string): boolean {
  return tagPattern.test(tag);
}
