/** Drydock's version, as reports and `--version` print it. Kept in step with the packages' version. */
export const toolVersion = '0.1.0';
