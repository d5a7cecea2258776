/**
 * A fake of Harbor's webhook sender (Harbor cannot run here): what a Harbor project's HTTP webhook
 * policy posts when an artifact is pushed, in Harbor's default payload format
 * (https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/):
 * `type`, `occur_at` (Unix seconds), `operator`, and `event_data` with the pushed `resources`
 * (`digest`, `tag`, `resource_url` = `<registry host>/<repo_full_name>:<tag>`) and the
 * `repository` (`date_created`, `name`, `namespace`, `repo_full_name`, `repo_type`). Harbor sends
 * the policy's "Auth Header" verbatim as `Authorization`, with `Content-Type: application/json`.
 */

export type HarborEventType = 'PUSH_ARTIFACT' | 'PULL_ARTIFACT' | 'DELETE_ARTIFACT' | 'SCANNING_COMPLETED';

export interface HarborArtifactEvent {
  readonly type: HarborEventType;
  /** The Harbor host the resource URLs name (`harbor.example.com`). */
  readonly registryHost: string;
  /** `library/nginx`: the Harbor project (namespace), then the repository name. */
  readonly repoFullName: string;
  readonly resources: readonly { readonly digest: string; readonly tag?: string }[];
  readonly operator?: string;
}

/** The payload Harbor posts for `event`, in its default format. */
export function harborWebhookPayload(event: HarborArtifactEvent, now = new Date()): Record<string, unknown> {
  const slash = event.repoFullName.indexOf('/');
  const namespace = slash < 0 ? event.repoFullName : event.repoFullName.slice(0, slash);
  const name = slash < 0 ? event.repoFullName : event.repoFullName.slice(slash + 1);
  const occurAt = Math.floor(now.getTime() / 1000);
  return {
    type: event.type,
    occur_at: occurAt,
    operator: event.operator ?? 'admin',
    event_data: {
      resources: event.resources.map((resource) => ({
        digest: resource.digest,
        ...(resource.tag === undefined ? {} : { tag: resource.tag }),
        resource_url: `${event.registryHost}/${event.repoFullName}${
          resource.tag === undefined ? `@${resource.digest}` : `:${resource.tag}`
        }`,
      })),
      repository: {
        date_created: occurAt,
        name,
        namespace,
        repo_full_name: event.repoFullName,
        repo_type: 'private',
      },
    },
  };
}

/** Posts `event` to a webhook policy's endpoint as Harbor does; answers the status and body. */
export async function sendHarborWebhook(
  endpoint: string,
  authHeader: string | undefined,
  event: HarborArtifactEvent,
): Promise<{ readonly status: number; readonly body: string }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authHeader === undefined ? {} : { authorization: authHeader }),
    },
    body: JSON.stringify(harborWebhookPayload(event)),
  });
  return { status: response.status, body: await response.text() };
}
