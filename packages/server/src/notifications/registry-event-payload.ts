import { z } from 'zod';

/**
 * Reads the two push notification formats the receiver accepts into the images they name:
 *
 * - the distribution registry's notification envelope (media type
 *   `application/vnd.docker.distribution.events.v1+json`; https://distribution.github.io/distribution/about/notifications/):
 *   `{ events: [{ id, timestamp, action, target: { mediaType, digest, repository, url, tag, size }, request, actor, source }] }`.
 *   Only `push` events of manifests count: pulls (a sync or a scan reading the registry causes
 *   those), blob pushes and deletes are ignored.
 * - Harbor's webhook payload, the default format (https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/):
 *   `{ type: 'PUSH_ARTIFACT', occur_at, operator, event_data: { resources: [{ digest, tag, resource_url }], repository: { name, namespace, repo_full_name, repo_type } } }`,
 *   and the same data in its CloudEvents format (`specversion`, `type: 'harbor.artifact.pushed'`, `data`).
 *   Every other type is ignored.
 *
 * A body that is neither is `undefined` (the receiver answers 400). Single entries with names no
 * registry would accept are ignored rather than failing the body: the distribution registry
 * retries a refused batch without end, which would hold back every later event.
 */

/** One pushed image: by tag when the notification names one, else by digest. */
export interface PushTarget {
  /** The repository path as the registry's `/v2/` API names it (`library/nginx`). */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export interface ParsedNotification {
  readonly format: 'distribution' | 'harbor';
  /** Distinct pushed images, in the order the notification names them. */
  readonly pushes: readonly PushTarget[];
  /** Entries left alone: pulls, blobs, other event types, names that are not valid. */
  readonly ignored: number;
}

/** The media type the distribution registry posts its envelopes with. */
export const distributionEventsMediaType = 'application/vnd.docker.distribution.events.v1+json';

/** At most this many events or resources are read from one body (the body limit bounds it anyway). */
const maxEntries = 1000;

// The reference grammar of distribution/reference: path components, tags and digests.
const repositoryPattern =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const tagPattern = /^\w[\w.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Manifest media types a push of an image or index carries (blob pushes carry layer or octet-stream types). */
const manifestMediaTypes: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

const distributionEnvelopeSchema = z.object({
  events: z
    .array(
      z.object({
        id: z.string().optional(),
        timestamp: z.string().optional(),
        action: z.string(),
        target: z
          .object({
            mediaType: z.string().optional(),
            digest: z.string().optional(),
            repository: z.string().optional(),
            url: z.string().optional(),
            tag: z.string().optional(),
            size: z.number().optional(),
          })
          .optional(),
      }),
    )
    .max(maxEntries),
});

const harborEventDataSchema = z.object({
  resources: z
    .array(
      z.object({
        digest: z.string().optional(),
        tag: z.string().optional(),
        resource_url: z.string().optional(),
      }),
    )
    .max(maxEntries)
    .optional(),
  repository: z
    .object({
      name: z.string().optional(),
      namespace: z.string().optional(),
      repo_full_name: z.string().optional(),
    })
    .optional(),
});

const harborPayloadSchema = z.object({
  type: z.string(),
  occur_at: z.number().optional(),
  operator: z.string().optional(),
  event_data: harborEventDataSchema.optional(),
});

const harborCloudEventSchema = z.object({
  specversion: z.string(),
  type: z.string(),
  data: harborEventDataSchema.optional(),
});

const harborPushTypes: ReadonlySet<string> = new Set(['PUSH_ARTIFACT', 'harbor.artifact.pushed']);

function targetOf(
  repository: string | undefined,
  tag: string | undefined,
  digest: string | undefined,
): PushTarget | undefined {
  if (repository === undefined || repository.length > 255 || !repositoryPattern.test(repository))
    return undefined;
  const validTag = tag !== undefined && tag !== '' && tagPattern.test(tag) ? tag : undefined;
  const validDigest = digest !== undefined && digestPattern.test(digest) ? digest : undefined;
  if (validTag === undefined && validDigest === undefined) return undefined;
  return { repository, tag: validTag, digest: validDigest };
}

function isManifestPush(target: {
  readonly mediaType?: string | undefined;
  readonly url?: string | undefined;
}) {
  if (target.mediaType !== undefined && manifestMediaTypes.has(target.mediaType)) return true;
  // A manifest type this list does not know yet (an artifact): the URL still tells a manifest from a blob.
  return target.url !== undefined && /\/v2\/.+\/manifests\/[^/]+$/.test(target.url);
}

function distinct(targets: readonly PushTarget[]): PushTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = `${target.repository}\u0000${target.tag ?? ''}\u0000${target.digest ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fromHarbor(data: z.infer<typeof harborEventDataSchema> | undefined): ParsedNotification {
  const repository = data?.repository?.repo_full_name;
  const resources = data?.resources ?? [];
  const pushes: PushTarget[] = [];
  let ignored = 0;
  for (const resource of resources) {
    const target = targetOf(repository, resource.tag, resource.digest);
    if (target) pushes.push(target);
    else ignored += 1;
  }
  return { format: 'harbor', pushes: distinct(pushes), ignored };
}

/** The pushed images of a notification body (parsed JSON); undefined when it is neither format. */
export function parseRegistryNotification(body: unknown): ParsedNotification | undefined {
  const envelope = distributionEnvelopeSchema.safeParse(body);
  if (envelope.success) {
    const pushes: PushTarget[] = [];
    let ignored = 0;
    for (const event of envelope.data.events) {
      const target =
        event.action === 'push' && event.target && isManifestPush(event.target)
          ? targetOf(event.target.repository, event.target.tag, event.target.digest)
          : undefined;
      if (target) pushes.push(target);
      else ignored += 1;
    }
    return { format: 'distribution', pushes: distinct(pushes), ignored };
  }
  const cloudEvent = harborCloudEventSchema.safeParse(body);
  if (cloudEvent.success) {
    if (!harborPushTypes.has(cloudEvent.data.type)) return { format: 'harbor', pushes: [], ignored: 1 };
    return fromHarbor(cloudEvent.data.data);
  }
  const harbor = harborPayloadSchema.safeParse(body);
  if (harbor.success) {
    if (!harborPushTypes.has(harbor.data.type)) return { format: 'harbor', pushes: [], ignored: 1 };
    return fromHarbor(harbor.data.event_data);
  }
  return undefined;
}
