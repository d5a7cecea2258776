import type { Platform } from '../image/types.ts';

/** What a long scan tells its caller, so a terminal can draw progress bars and a service can report. */
export type ScanProgressEvent =
  | {
      readonly type: 'image';
      readonly platform: Platform;
      readonly layers: number;
      readonly totalBytes: number;
    }
  | {
      readonly type: 'layer-start';
      readonly platform: Platform;
      readonly index: number;
      readonly size: number;
    }
  | {
      readonly type: 'layer-bytes';
      readonly platform: Platform;
      readonly index: number;
      readonly bytes: number;
    }
  | { readonly type: 'layer-done'; readonly platform: Platform; readonly index: number };

export type ScanProgressListener = (event: ScanProgressEvent) => void;
