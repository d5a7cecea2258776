import { Tag } from 'antd';
import { severityColor, severityLabel } from './severity.ts';

/** A finding's severity as a coloured tag. */
export function SeverityTag({ severity }: { readonly severity: string }) {
  return (
    <Tag color={severityColor(severity)} style={{ marginInlineEnd: 0 }} data-severity={severity}>
      {severityLabel(severity)}
    </Tag>
  );
}
