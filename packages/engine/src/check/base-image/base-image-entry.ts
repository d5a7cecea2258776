import type { Platform } from '../../image/types.ts';
import type { FindingCounts } from './finding-counts.ts';

/** `marked`: the user said this image is a base image; `catalogued`: added by reference (`library/*`). */
export type BaseImageOrigin = 'marked' | 'catalogued';

export const baseImageOrigins: readonly BaseImageOrigin[] = ['marked', 'catalogued'];

/** The operating system detected in the base image (from the os fact). */
export interface BaseImageOs {
  readonly family: string;
  readonly id: string;
  /** Undefined for rolling releases without a version (Alpine edge, Debian sid). */
  readonly version: string | undefined;
}

/** One catalogued base image: one tag of one repository on one platform. */
export interface BaseImageEntry {
  /** The repository, as a registry names it (`library/debian`, `myorg/base-node`). */
  readonly name: string;
  readonly tag: string;
  /** The platform image's manifest digest. */
  readonly digest: string;
  readonly platform: Platform;
  /** The image's layer diff ids, bottom first. */
  readonly diffIds: readonly string[];
  readonly os: BaseImageOs | undefined;
  /** ISO 8601, millisecond precision. */
  readonly addedAt: string;
  /** When the image was built (its configuration's `created`, ISO 8601); undefined when unknown. */
  readonly created: string | undefined;
  readonly addedBy: BaseImageOrigin;
  /** The image's findings when it was catalogued; lets a report suggest a tag with fewer. */
  readonly findings: FindingCounts | undefined;
}

/** What `add` takes: `addedAt` defaults to now, `os` and `findings` to unknown. */
export type NewBaseImageEntry = Omit<BaseImageEntry, 'addedAt' | 'created' | 'os' | 'findings'> & {
  readonly addedAt?: string;
  readonly created?: string | undefined;
  readonly os?: BaseImageOs | undefined;
  readonly findings?: FindingCounts | undefined;
};

/** The catalogue entry an image was built on: the image's first `layerCount` layers are the entry's. */
export interface BaseImageMatch {
  readonly entry: BaseImageEntry;
  readonly layerCount: number;
  /** The image has no layers of its own: it is that base image (or a re-tag of it). */
  readonly wholeImage: boolean;
}
