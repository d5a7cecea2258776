import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal, Select, Typography } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { fieldErrorsOf } from '../api/api-field-errors.ts';
import type { Project } from '../api/project-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { policyQueryKeys } from './policy-query-keys.ts';

interface TimeZoneForm {
  readonly timeZone: string;
}

/** The browser's IANA zones, with the current one first in line even if the browser lacks it (`UTC`). */
function zoneOptions(current: string): { readonly value: string; readonly label: string }[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add(current);
  zones.add('UTC');
  return [...zones].sort().map((zone) => ({ value: zone, label: zone }));
}

/**
 * Changes the project's time zone (`PATCH /projects/:id`, which needs `iam:set`): the policy has
 * none of its own; its window, and the daily sync, are read in the project's.
 */
export function TimeZoneDialog({
  open,
  projectId,
  current,
  onClose,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly current: string;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<TimeZoneForm>();
  const save = useMutation({
    mutationFn: (values: TimeZoneForm) =>
      api.patch<Project>(`/projects/${encodeURIComponent(projectId)}`, { timeZone: values.timeZone }),
    onSuccess: (project) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.projects() });
      void queryClient.invalidateQueries({ queryKey: policyQueryKeys.policy(projectId) });
      void message.success(`The project's time zone is now ${project.timeZone}.`);
      onClose();
    },
    onError: (error) => {
      const onField = fieldErrorsOf(error).find((issue) => issue.path === 'timeZone');
      if (onField) form.setFields([{ name: 'timeZone', errors: [onField.message] }]);
    },
  });
  const fieldError = fieldErrorsOf(save.error).some((issue) => issue.path === 'timeZone');
  return (
    <Modal
      open={open}
      title="Project time zone"
      okText="Change time zone"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        The scan window and the daily image sync are read in this time zone.
      </Typography.Paragraph>
      <Form<TimeZoneForm>
        form={form}
        layout="vertical"
        initialValues={{ timeZone: current }}
        onFinish={(values) => save.mutate(values)}
        aria-label="Project time zone"
      >
        <Form.Item name="timeZone" label="Time zone" rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={zoneOptions(current)} />
        </Form.Item>
      </Form>
      {save.isError && !fieldError ? <Alert type="error" showIcon title={describeError(save.error)} /> : null}
    </Modal>
  );
}
