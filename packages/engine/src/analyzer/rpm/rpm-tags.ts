/**
 * The rpm header tags and data types this analyzer reads, as numbered in rpm's `rpmtag.h`
 * (https://github.com/rpm-software-management/rpm/blob/master/include/rpm/rpmtag.h) and described in
 * https://rpm-software-management.github.io/rpm/manual/tags.html.
 */
export const rpmTag = {
  /** First tag of a header: the region (HEADERIMAGE 61, HEADERSIGNATURES 62, HEADERIMMUTABLE 63). */
  headerImage: 61,
  headerImmutable: 63,
  /** Tags below this number are reserved for regions; a header entry never uses one. */
  headerI18nTable: 100,
  sigMd5: 261,
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  summary: 1004,
  size: 1009,
  vendor: 1011,
  license: 1014,
  arch: 1022,
  oldFilenames: 1027,
  sourceRpm: 1044,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
  modularityLabel: 5096,
} as const;

/** Header data types (`rpm_tagtype_e`). */
export const rpmType = {
  null: 0,
  char: 1,
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  string: 6,
  bin: 7,
  stringArray: 8,
  i18nString: 9,
} as const;

export type RpmType = (typeof rpmType)[keyof typeof rpmType];
