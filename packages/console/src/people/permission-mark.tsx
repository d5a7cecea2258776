import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { permissionPurpose, type Permission } from '../access/permissions.ts';

/** A permission with what it lets a user do (`images:set: start and stop scans`). */
export function permissionTitle(permission: Permission): string {
  return `${permission}: ${permissionPurpose[permission]}`;
}

/** A granted permission as a check, a missing one as a dash, in read-only matrices (the roles table). */
export function PermissionMark({
  held,
  permission,
}: {
  readonly held: boolean;
  readonly permission: Permission;
}) {
  return (
    <Tooltip title={`${permissionTitle(permission)}${held ? '' : ' (not granted)'}`}>
      <span
        data-permission={permission}
        data-held={held}
        role="img"
        aria-label={held ? `${permission} granted` : `${permission} not granted`}
      >
        {held ? (
          <CheckOutlined style={{ color: '#52c41a' }} />
        ) : (
          <MinusOutlined style={{ color: '#d9d9d9' }} />
        )}
      </span>
    </Tooltip>
  );
}
