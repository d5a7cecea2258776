import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useApi } from '../api/api-context.tsx';
import { formFailureText, formFieldErrors } from '../api/api-field-errors.ts';
import {
  expiringHandlingActions,
  handlingActions,
  type HandlingAction,
  type HandlingEntry,
  type HandlingInput,
  type HandlingScope,
} from '../api/handling-types.ts';
import { registryTypes, type RegistryType } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { handlingActionHelp, handlingActionLabels } from './handling-labels.ts';
import { ImagePicker, type ImageChoice } from './image-picker.tsx';
import { ReasonField } from './reason-field.tsx';

/** The finding a new entry is for, when it is recorded from a row of the list. */
export interface HandlingTarget {
  readonly advisoryId: string;
  readonly packageName: string | null;
  /** The images the finding affects, offered first for an image scope. */
  readonly images: readonly ImageChoice[];
}

interface EntryForm {
  readonly advisoryId: string;
  readonly packageName?: string;
  readonly action: HandlingAction;
  readonly scopeKind: HandlingScope['kind'];
  readonly types?: readonly RegistryType[];
  readonly imageIds?: readonly string[];
  readonly reason: string;
  readonly expiresAt?: Dayjs | null;
}

const entryFields = [
  'advisoryId',
  'packageName',
  'action',
  'scopeKind',
  'types',
  'imageIds',
  'reason',
  'expiresAt',
] as const;
type EntryField = (typeof entryFields)[number];

/** The API's body paths whose form field has another name. */
function fieldOfPath(path: string): EntryField | undefined {
  if (path === 'scope.types' || path.startsWith('scope.types.')) return 'types';
  if (path === 'scope.imageIds' || path.startsWith('scope.imageIds.')) return 'imageIds';
  if (path === 'scope' || path.startsWith('scope.')) return 'scopeKind';
  return undefined;
}

function scopeOf(values: EntryForm): HandlingScope {
  switch (values.scopeKind) {
    case 'all':
      return { kind: 'all' };
    case 'registry_types':
      return { kind: 'registry_types', types: values.types ?? [] };
    case 'images':
      return { kind: 'images', imageIds: values.imageIds ?? [] };
  }
}

function inputOf(values: EntryForm): HandlingInput {
  const packageName = values.packageName?.trim();
  const expires = expiringHandlingActions.includes(values.action) ? values.expiresAt : undefined;
  return {
    advisoryId: values.advisoryId.trim(),
    packageName: packageName ? packageName : null,
    action: values.action,
    scope: scopeOf(values),
    reason: values.reason.trim(),
    ...(expires ? { expiresAt: expires.toISOString() } : {}),
  };
}

/**
 * Records a handling event of a vulnerability (`POST handling/vulnerabilities`): ignore,
 * allowlist, mark repaired, or cancel an ignore or allowlist, with a reason, a scope (all images,
 * registry types, chosen images) and, for ignores and allowlists, an optional expiry. The API's
 * field errors show on the fields; risk counts everywhere follow at once, so the whole project's
 * cached data is refreshed.
 */
export function HandlingEntryDialog({
  open,
  projectId,
  target,
  onClose,
  onRecorded,
}: {
  readonly open: boolean;
  readonly projectId: string;
  /** Undefined: a new entry for any advisory (typed in). */
  readonly target: HandlingTarget | undefined;
  readonly onClose: () => void;
  readonly onRecorded?: (entry: HandlingEntry) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryForm>();
  const record = useMutation({
    mutationFn: (values: EntryForm) =>
      api.post<HandlingEntry>(
        `/projects/${encodeURIComponent(projectId)}/handling/vulnerabilities`,
        inputOf(values),
      ),
    onSuccess: (entry) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.project(projectId) });
      void message.success(`${handlingActionLabels[entry.action]}: ${entry.advisoryId} recorded.`);
      onRecorded?.(entry);
      onClose();
    },
    onError: (error) => form.setFields(formFieldErrors(error, entryFields, fieldOfPath)),
  });
  const failureText = formFailureText(record.error, entryFields, fieldOfPath);

  const initialValues: Partial<EntryForm> = {
    advisoryId: target?.advisoryId ?? '',
    packageName: target?.packageName ?? '',
    action: 'ignore',
    scopeKind: 'all',
    reason: '',
  };
  return (
    <Modal
      open={open}
      title={target ? `Handle ${target.advisoryId}` : 'New handling entry'}
      okText="Record"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={record.isPending}
      destroyOnHidden
      width={620}
    >
      <Form<EntryForm>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => record.mutate(values)}
        aria-label="Handling entry"
      >
        <Form.Item
          name="advisoryId"
          label="Advisory"
          rules={[{ required: true, whitespace: true, message: 'The advisory id (CVE-…, GHSA-…)' }]}
        >
          <Input placeholder="CVE-2024-12345" disabled={target !== undefined} className="mono" />
        </Form.Item>
        <Form.Item
          name="packageName"
          label="Package"
          extra="Only findings in this package; leave empty for the advisory in any package."
        >
          <Input placeholder="Any package" />
        </Form.Item>
        <Form.Item name="action" label="Action" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={handlingActions.map((action) => ({
              value: action,
              label: handlingActionLabels[action],
            }))}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['action']}>
          {({ getFieldValue }) => {
            const action = handlingActions.find((candidate) => candidate === getFieldValue('action'));
            if (!action) return null;
            return (
              <>
                <Typography.Paragraph type="secondary" style={{ marginTop: -16 }}>
                  {handlingActionHelp[action]}
                </Typography.Paragraph>
                {expiringHandlingActions.includes(action) ? (
                  <Form.Item
                    name="expiresAt"
                    label="Expires"
                    extra="Optional: after this time the entry no longer applies."
                  >
                    <DatePicker
                      showTime={{ format: 'HH:mm' }}
                      format="YYYY-MM-DD HH:mm"
                      disabledDate={(day) => day.isBefore(dayjs(), 'day')}
                    />
                  </Form.Item>
                ) : null}
              </>
            );
          }}
        </Form.Item>
        <Form.Item name="scopeKind" label="Applies to" rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'all', label: 'All images' },
              { value: 'registry_types', label: 'Registry types' },
              { value: 'images', label: 'Chosen images' },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['scopeKind']}>
          {({ getFieldValue }) => {
            const kind: unknown = getFieldValue('scopeKind');
            if (kind === 'registry_types')
              return (
                <Form.Item
                  name="types"
                  label="Registry types"
                  rules={[{ required: true, message: 'Choose at least one registry type' }]}
                >
                  <Select
                    mode="multiple"
                    options={registryTypes.map((type) => ({ value: type, label: registryTypeLabels[type] }))}
                  />
                </Form.Item>
              );
            if (kind === 'images')
              return (
                <Form.Item
                  name="imageIds"
                  label="Images"
                  rules={[{ required: true, message: 'Choose at least one image' }]}
                >
                  <ImagePicker projectId={projectId} known={target?.images ?? []} multiple />
                </Form.Item>
              );
            return null;
          }}
        </Form.Item>
        <ReasonField />
      </Form>
      {failureText !== undefined ? (
        <Alert type="error" showIcon title="Not recorded" description={failureText} />
      ) : null}
    </Modal>
  );
}
