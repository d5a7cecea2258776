import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { formFailureText, formFieldErrors } from '../api/api-field-errors.ts';
import type { SecretIgnore, SecretIgnoreInput } from '../api/handling-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { RiskFinding, RiskViewPage } from '../api/risk-types.ts';
import { imageChoiceLabel } from '../format/image-name.ts';
import { handlingQueryKeys } from './handling-query-keys.ts';
import { ImagePicker, type ImageChoice } from './image-picker.tsx';
import { ReasonField } from './reason-field.tsx';

interface IgnoreForm {
  readonly finding?: string;
  readonly ruleId: string;
  readonly path: string;
  readonly where: 'all' | 'image';
  readonly imageId?: string;
  readonly reason: string;
}

const ignoreFields = ['ruleId', 'path', 'imageId', 'reason'] as const;
/** How many open findings the picker offers (the most severe and widespread first). */
const findingLimit = 200;

function imagesOf(group: RiskFinding<'secret'> | undefined): readonly ImageChoice[] {
  const images = new Map<string, string>();
  for (const entry of group?.images ?? []) images.set(entry.image.id, imageChoiceLabel(entry.image));
  return [...images].map(([id, label]) => ({ id, label }));
}

/**
 * Ignores a sensitive-information finding (`POST handling/secret-ignores`): a rule on a path, in
 * one image or in every image, with a reason. The rule and path can be picked from the open
 * findings of the scanned images or typed in (to ignore ahead of a scan).
 */
export function SecretIgnoreDialog({
  open,
  projectId,
  onClose,
}: {
  readonly open: boolean;
  readonly projectId: string;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<IgnoreForm>();
  const [picked, setPicked] = useState<RiskFinding<'secret'> | undefined>(undefined);
  const findings = useQuery({
    queryKey: handlingQueryKeys.secretFindings(projectId),
    queryFn: ({ signal }) =>
      api.get<RiskViewPage<'secret'>>(
        `/projects/${encodeURIComponent(projectId)}/risks/secret`,
        { handling: ['open'], limit: findingLimit },
        signal,
      ),
    enabled: open,
  });
  const ignore = useMutation({
    mutationFn: (values: IgnoreForm) =>
      api.post<SecretIgnore>(`/projects/${encodeURIComponent(projectId)}/handling/secret-ignores`, {
        ruleId: values.ruleId.trim(),
        path: values.path,
        reason: values.reason.trim(),
        imageId: values.where === 'image' ? (values.imageId ?? null) : null,
      } satisfies SecretIgnoreInput),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
      void message.success(`Ignored ${created.ruleId} at ${created.path}.`);
      onClose();
    },
    onError: (error) => form.setFields(formFieldErrors(error, ignoreFields)),
  });
  const failureText = formFailureText(ignore.error, ignoreFields);

  const groups = findings.data?.findings ?? [];
  const pick = (key: string | undefined) => {
    const group = groups.find((candidate) => candidate.key === key);
    setPicked(group);
    if (group) form.setFieldsValue({ ruleId: group.finding.ruleId, path: group.finding.path });
  };

  return (
    <Modal
      open={open}
      title="Ignore a sensitive-information finding"
      okText="Ignore"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={ignore.isPending}
      destroyOnHidden
      width={620}
    >
      <Form<IgnoreForm>
        form={form}
        layout="vertical"
        initialValues={{ where: 'all', ruleId: '', path: '', reason: '' }}
        onFinish={(values) => ignore.mutate(values)}
        aria-label="Secret ignore"
      >
        <Form.Item
          name="finding"
          label="Open finding"
          extra="Pick one of the scanned images' open findings, or type the rule and path below."
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={findings.isPending}
            onChange={(key: string | undefined) => pick(key)}
            notFoundContent={findings.isError ? describeError(findings.error) : 'No open findings'}
            options={groups.map((group) => ({
              value: group.key,
              label: `${group.finding.title} (${group.finding.ruleId}) — ${group.finding.path}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="ruleId" label="Rule" rules={[{ required: true, whitespace: true }]}>
          <Input className="mono" placeholder="aws-access-key-id" />
        </Form.Item>
        <Form.Item name="path" label="Path" rules={[{ required: true }]}>
          <Input className="mono" placeholder="app/config/settings.yaml" />
        </Form.Item>
        <Form.Item name="where" label="Ignore it in">
          <Radio.Group
            options={[
              { value: 'all', label: 'Every image' },
              { value: 'image', label: 'One image' },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['where']}>
          {({ getFieldValue }) =>
            getFieldValue('where') === 'image' ? (
              <Form.Item
                name="imageId"
                label="Image"
                rules={[{ required: true, message: 'Choose the image' }]}
              >
                <ImagePicker
                  // A new pick offers its own images.
                  key={picked?.key ?? 'none'}
                  projectId={projectId}
                  known={imagesOf(picked)}
                  multiple={false}
                />
              </Form.Item>
            ) : null
          }
        </Form.Item>
        <ReasonField />
      </Form>
      {failureText !== undefined ? (
        <Alert type="error" showIcon title="Not ignored" description={failureText} />
      ) : null}
    </Modal>
  );
}
