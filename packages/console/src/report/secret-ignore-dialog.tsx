import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Descriptions, Form, Modal, Radio } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { SecretIgnore, SecretIgnoreInput } from '../api/handling-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { SecretFinding } from '../api/report-types.ts';
import { ReasonField } from '../handling/reason-field.tsx';

interface IgnoreForm {
  readonly scope: 'image' | 'all';
  readonly reason: string;
}

/**
 * Ignores one sensitive-information finding (its rule at its path), in this image or in every
 * image of the project, with a reason kept with the user and the time (PRODUCT.md 4.1).
 */
export function SecretIgnoreDialog({
  open,
  onClose,
  projectId,
  imageId,
  finding,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly projectId: string;
  readonly imageId: string;
  readonly finding: SecretFinding | undefined;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<IgnoreForm>();
  const ignore = useMutation({
    mutationFn: (request: SecretIgnoreInput) =>
      api.post<SecretIgnore>(`/projects/${encodeURIComponent(projectId)}/handling/secret-ignores`, request),
    onSuccess: (ignored) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
      void message.success(`${finding?.title ?? ignored.ruleId} at ${ignored.path} ignored.`);
      onClose();
    },
  });
  if (!finding) return null;
  return (
    <Modal
      open={open}
      title="Ignore sensitive information"
      width={600}
      onCancel={onClose}
      okText="Ignore"
      okButtonProps={{ loading: ignore.isPending }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'rule', label: 'Rule', children: `${finding.title} (${finding.ruleId})` },
          { key: 'path', label: 'Path', children: <span className="mono">{finding.path}</span> },
          {
            key: 'secret',
            label: 'Secret (masked)',
            children: <span className="mono">{finding.secret}</span>,
          },
        ]}
      />
      <Form<IgnoreForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ scope: 'image', reason: '' }}
        onFinish={(values) =>
          ignore.mutate({
            imageId: values.scope === 'image' ? imageId : null,
            ruleId: finding.ruleId,
            path: finding.path,
            reason: values.reason.trim(),
          })
        }
      >
        <Form.Item name="scope" label="Ignore it">
          <Radio.Group>
            <Radio value="image">In this image</Radio>
            <Radio value="all">In every image of the project (same rule, same path)</Radio>
          </Radio.Group>
        </Form.Item>
        <ReasonField />
      </Form>
      {ignore.error ? <Alert type="error" showIcon title={describeError(ignore.error)} /> : null}
    </Modal>
  );
}
