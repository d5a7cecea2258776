/** The flags every Drydock process gives Node (node-flags.js says why). */
export declare const nodeFlags: readonly string[];
