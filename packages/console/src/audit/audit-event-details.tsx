import { Descriptions, Typography } from 'antd';
import type { AuditEvent } from '../api/audit-types.ts';

/** A detail value as text: strings as they are, everything else as JSON (lists, objects, null). */
export function detailText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * An expanded row of the audit log: what changed (the event's details, one line per field, secrets
 * already redacted by the service), then who, from where, and on what, with the ids in full.
 */
export function AuditEventDetails({ event }: { readonly event: AuditEvent }) {
  const changes = Object.entries(event.details);
  return (
    <div data-testid={`audit-details-${event.id}`}>
      {changes.length === 0 ? (
        <Typography.Paragraph type="secondary">No further details were recorded.</Typography.Paragraph>
      ) : (
        <Descriptions
          title="What changed"
          size="small"
          bordered
          column={1}
          items={changes.map(([key, value]) => ({
            key,
            label: key,
            children: (
              <Typography.Text className="mono" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {detailText(value)}
              </Typography.Text>
            ),
          }))}
          style={{ marginBottom: 12 }}
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'at', label: 'At', children: new Date(event.at).toISOString() },
          {
            key: 'who',
            label: 'By',
            children: `${event.userName}${event.userId ? ` (user ${event.userId})` : ''}`,
          },
          { key: 'address', label: 'From address', children: event.address },
          { key: 'object', label: 'Object', children: `${event.objectType} ${event.objectId}` },
          { key: 'project', label: 'Project', children: event.projectId ?? 'None (service-wide)' },
          { key: 'id', label: 'Event', children: `#${event.id}` },
        ]}
      />
    </div>
  );
}
