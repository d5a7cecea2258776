import { Tag } from 'antd';
import { severityColor, severityLabel } from './severity.ts';

/** A finding's severity as a coloured tag (dark text on the light yellow of `low`, so it reads). */
export function SeverityTag({ severity }: { readonly severity: string }) {
  return (
    <Tag
      color={severityColor(severity)}
      style={{ marginInlineEnd: 0, color: severity === 'low' ? '#000' : undefined }}
      data-severity={severity}
    >
      {severityLabel(severity)}
    </Tag>
  );
}
