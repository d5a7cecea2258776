import type { ImageScanStatus } from '../api/image-types.ts';

/** The console labels of PRODUCT.md 3.2 and a tag colour per image scan status. */
export const scanStatusLabels: Readonly<Record<ImageScanStatus, string>> = {
  not_scanned: 'Pending',
  queued: 'To be scanned',
  scanning: 'Scanning',
  succeeded: 'Succeeded',
  failed: 'Failed',
  terminated: 'Scan terminated',
};

export const scanStatusColors: Readonly<Record<ImageScanStatus, string>> = {
  not_scanned: 'default',
  queued: 'gold',
  scanning: 'processing',
  succeeded: 'success',
  failed: 'error',
  terminated: 'warning',
};

/** Chart colours (hex: charts do not read antd's tag presets). */
export const scanStatusChartColors: Readonly<Record<ImageScanStatus, string>> = {
  not_scanned: '#bfbfbf',
  queued: '#faad14',
  scanning: '#1677ff',
  succeeded: '#52c41a',
  failed: '#ff4d4f',
  terminated: '#fa8c16',
};

/**
 * What to do about each failure code of PRODUCT.md 3.2. Unknown codes fall back to the message
 * the service stored with the failure.
 */
export const failureRemedies: Readonly<Record<string, string>> = {
  authentication_failed: "Check the registry connection's credentials, test the connection, then scan again.",
  not_found: 'The image is no longer in the registry: synchronize the image list.',
  download_failed: 'The registry did not deliver the image; check that it is reachable and scan again.',
  image_too_large: 'The image exceeds the size limit; raise the limit or leave the image out of scans.',
  layer_too_large: 'A layer exceeds the layer size limit; raise the limit or leave the image out of scans.',
  too_many_layers: 'The image has more layers than the limit allows.',
  too_many_files: 'The image holds more files than the limit allows.',
  schema_v1_not_supported:
    'Docker schema 1 manifests are not supported: push the image again with a current client.',
  unsupported_media_type: 'The manifest or layer type is not supported.',
  registry_rate_limited: "The registry limited the pulls; lower the scan's speed limit or scan later.",
  timed_out: 'The scan took too long; scan again, or lower the load on the registry.',
  credential_expired: "The registry credentials have expired: update the connection's credentials.",
  analysis_failed: 'An analyzer failed on this image; the message names it. Scan again or report it.',
  internal_error: 'Drydock failed unexpectedly; scan again, and report it with the image if it persists.',
};
