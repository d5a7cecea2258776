import type { RepositoryImage } from './image-types.ts';

/**
 * The answer of `POST /projects/{projectId}/images/{imageId}/stop` (server
 * api/routes/image-stop-routes.ts, schema `ImageStop`).
 */
export interface ImageStopReply {
  /** The image as the list shows it after the stop. */
  readonly image: RepositoryImage;
  /** The image scans (one per task and platform) that ended terminated. */
  readonly stopped: number;
  /** The tasks they belonged to; each goes on with its other images. */
  readonly taskIds: readonly string[];
}
