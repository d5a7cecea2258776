import { Tooltip, Typography } from 'antd';
import type { LayerRef } from '../api/report-types.ts';

/** The instruction as people wrote it: Docker's `/bin/sh -c #(nop) ` prefix of metadata steps left out. */
export function instructionText(createdBy: string | undefined): string | undefined {
  if (createdBy === undefined) return undefined;
  return createdBy.replace(/^\/bin\/sh -c #\(nop\)\s+/, '').trim();
}

/**
 * Which layer a finding came from: its number (from the bottom, 0 first), with the build
 * instruction that made it beneath, shortened, and in full on hover.
 */
export function LayerCell({
  layer,
  base,
}: {
  readonly layer: LayerRef | undefined;
  readonly base?: boolean;
}) {
  if (layer === undefined) return <Typography.Text type="secondary">Image configuration</Typography.Text>;
  const instruction = instructionText(layer.createdBy);
  return (
    <Tooltip
      title={
        <>
          <div>{instruction ?? 'No build instruction recorded'}</div>
          <div className="mono">{layer.digest}</div>
        </>
      }
    >
      <div data-layer={layer.index}>
        <div>
          Layer {layer.index}
          {base ? <Typography.Text type="secondary"> (base image)</Typography.Text> : null}
        </div>
        {instruction === undefined ? null : (
          <Typography.Text type="secondary" className="mono" ellipsis style={{ maxWidth: 180 }}>
            {instruction}
          </Typography.Text>
        )}
      </div>
    </Tooltip>
  );
}
