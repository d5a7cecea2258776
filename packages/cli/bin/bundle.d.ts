/** The folder the launcher runs the bundle from (packages/cli/dist). */
export declare const bundleDir: string;
/** The bundle's entry module, in `bundleDir`. */
export declare const bundleEntry: string;
/** The manifest's file name, in the bundle's folder. */
export declare const manifestName: string;
/** Whether the bundle in `dir` (default `bundleDir`) was built from the sources as they are now. */
export declare function isBundleCurrent(dir?: string): boolean;
