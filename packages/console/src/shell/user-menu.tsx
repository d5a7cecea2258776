import { DownOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, type MenuProps } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { useMe } from '../access/use-me.ts';
import { ChangePasswordDialog } from './change-password-dialog.tsx';

/** The signed-in user's name, and the account actions: change password, sign out. */
export function UserMenu() {
  const me = useMe();
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [changingPassword, setChangingPassword] = useState(false);
  const user = me.data?.user;
  const signOut = async () => {
    try {
      await api.signOut();
    } catch (error) {
      void message.error(`Signing out failed: ${describeError(error)}`);
      return;
    }
    queryClient.clear();
    void navigate('/sign-in', { replace: true });
  };
  const items: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: user
        ? `${user.displayName || user.name} (${user.name})${user.serviceAdmin ? ' · service administrator' : ''}`
        : '…',
    },
    { type: 'divider' },
    { key: 'password', label: 'Change password' },
    { key: 'sign-out', label: 'Sign out' },
  ];
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items,
          onClick: ({ key }) => {
            if (key === 'password') setChangingPassword(true);
            if (key === 'sign-out') void signOut();
          },
        }}
      >
        <Button type="text" icon={<UserOutlined />} aria-label="User menu" data-testid="user-menu">
          {user ? user.displayName || user.name : ''} <DownOutlined />
        </Button>
      </Dropdown>
      <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)} />
    </>
  );
}
