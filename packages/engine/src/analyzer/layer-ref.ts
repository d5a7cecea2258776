/** Which layer a fact came from: enough to name it in a report without the whole descriptor. */
export interface LayerRef {
  readonly index: number;
  readonly digest: string;
  readonly diffId: string | undefined;
  readonly createdBy: string | undefined;
}
