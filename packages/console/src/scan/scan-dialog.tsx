import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Steps,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { describeError, isConsoleApiError } from '../api/api-error.ts';
import { registryTypes, type ImageFilter, type RegistryType } from '../api/image-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { RegistryConnection } from '../api/registry-types.ts';
import {
  riskTypes,
  type RiskType,
  type ScanEstimate,
  type ScanRequest,
  type ScanScope,
  type ScanTask,
} from '../api/task-types.ts';
import { formatMoney } from '../format/format-money.ts';
import { formatCount, formatTime } from '../format/format-time.ts';
import { registryTypeLabels } from '../format/registry-type.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import { filterScope, hasFilter } from '../images/image-list-params.ts';

type ScopeChoice = 'images' | 'filter' | 'all' | 'registry_types' | 'registries';

interface ScanSettings {
  readonly name?: string;
  readonly scope: ScopeChoice;
  readonly types?: readonly RegistryType[];
  readonly connectionIds?: readonly string[];
  readonly riskTypes: readonly RiskType[];
  readonly speedLimit: number;
}

export interface ScanDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly projectId: string;
  /** The images chosen in the list (bulk selection or one row's "Scan"). */
  readonly selectedImageIds: readonly string[];
  /** The list's current filter, offered as a scope when it filters anything. */
  readonly filter: ImageFilter;
  /** Undefined when the user may not list registries. */
  readonly registries: readonly RegistryConnection[] | undefined;
}

function scopeOf(settings: ScanSettings, props: ScanDialogProps): ScanScope {
  switch (settings.scope) {
    case 'images':
      return { kind: 'images', imageIds: props.selectedImageIds };
    case 'filter':
      return filterScope(props.filter);
    case 'registry_types':
      return { kind: 'registry_types', types: settings.types ?? [] };
    case 'registries':
      return { kind: 'registries', connectionIds: settings.connectionIds ?? [] };
    case 'all':
      return { kind: 'all' };
  }
}

function requestOf(settings: ScanSettings, props: ScanDialogProps): ScanRequest {
  const name = settings.name?.trim();
  return {
    ...(name ? { name } : {}),
    scope: scopeOf(settings, props),
    riskTypes: settings.riskTypes,
    speedLimit: settings.speedLimit,
  };
}

/**
 * The scan dialog of PRODUCT.md 3.1: risk types, speed limit and image scope, then the fee
 * confirmation with the image count and estimated cost (`POST estimates`), then the task is
 * started with that estimate (`POST scan-tasks`) and the user is taken to the task manager.
 */
export function ScanDialog(props: ScanDialogProps) {
  const { open, onClose, projectId, selectedImageIds, filter, registries } = props;
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<ScanSettings>();
  const [pending, setPending] = useState<
    { readonly request: ScanRequest; readonly estimate: ScanEstimate } | undefined
  >(undefined);
  const base = `/projects/${encodeURIComponent(projectId)}`;

  const estimate = useMutation({
    mutationFn: async (request: ScanRequest) => ({
      request,
      estimate: await api.post<ScanEstimate>(`${base}/estimates`, request),
    }),
    onSuccess: setPending,
  });
  const start = useMutation({
    mutationFn: (confirmed: { readonly request: ScanRequest; readonly estimate: ScanEstimate }) =>
      api.post<ScanTask>(`${base}/scan-tasks`, { ...confirmed.request, estimateId: confirmed.estimate.id }),
    onSuccess: (task) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.images(projectId) });
      void message.success(`Scan task "${task.name}" started for ${formatCount(task.counts.total)} images.`);
      close();
      void navigate(`${base}/tasks?scanTask=${encodeURIComponent(task.id)}`);
    },
    onError: (error) => {
      // An estimate that ran out or was used: estimate again.
      if (isConsoleApiError(error) && error.code === 'estimate_expired') setPending(undefined);
    },
  });

  function close() {
    setPending(undefined);
    estimate.reset();
    start.reset();
    onClose();
  }

  const initialScope: ScopeChoice =
    selectedImageIds.length > 0 ? 'images' : hasFilter(filter) ? 'filter' : 'all';
  const failure = start.error ?? estimate.error;

  return (
    <Modal
      open={open}
      title="Scan images"
      width={620}
      onCancel={close}
      destroyOnHidden
      footer={
        pending ? (
          <>
            <Button onClick={() => setPending(undefined)} disabled={start.isPending}>
              Back
            </Button>
            <Button type="primary" loading={start.isPending} onClick={() => start.mutate(pending)}>
              Confirm and start scan
            </Button>
          </>
        ) : (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button type="primary" loading={estimate.isPending} onClick={() => form.submit()}>
              Next: estimate the fee
            </Button>
          </>
        )
      }
    >
      <Steps
        size="small"
        current={pending ? 1 : 0}
        items={[{ title: 'Scope and risk types' }, { title: 'Confirm the fee' }]}
        style={{ marginBottom: 24 }}
      />
      <Form<ScanSettings>
        form={form}
        layout="vertical"
        hidden={pending !== undefined}
        preserve={false}
        initialValues={{ scope: initialScope, riskTypes: [...riskTypes], speedLimit: 0 }}
        onFinish={(settings) => estimate.mutate(requestOf(settings, props))}
      >
        <Form.Item name="scope" label="Images">
          <Radio.Group>
            {selectedImageIds.length > 0 ? (
              <Radio value="images">The {formatCount(selectedImageIds.length)} selected images</Radio>
            ) : null}
            {hasFilter(filter) ? <Radio value="filter">The images matching the list's filters</Radio> : null}
            <Radio value="all">All images</Radio>
            <Radio value="registry_types">Images of registry types</Radio>
            {registries === undefined ? null : <Radio value="registries">Images of registries</Radio>}
          </Radio.Group>
        </Form.Item>
        <Form.Item noStyle dependencies={['scope']}>
          {({ getFieldValue }) => {
            const scope: unknown = getFieldValue('scope');
            if (scope === 'registry_types')
              return (
                <Form.Item
                  name="types"
                  label="Registry types"
                  rules={[{ required: true, message: 'Choose at least one type' }]}
                >
                  <Select
                    mode="multiple"
                    options={registryTypes.map((type) => ({ value: type, label: registryTypeLabels[type] }))}
                  />
                </Form.Item>
              );
            if (scope === 'registries')
              return (
                <Form.Item
                  name="connectionIds"
                  label="Registries"
                  rules={[{ required: true, message: 'Choose at least one registry' }]}
                >
                  <Select
                    mode="multiple"
                    options={(registries ?? []).map((registry) => ({
                      value: registry.id,
                      label: registry.name,
                    }))}
                  />
                </Form.Item>
              );
            return null;
          }}
        </Form.Item>
        <Form.Item
          name="riskTypes"
          label="Risk types"
          rules={[{ required: true, message: 'Choose at least one risk type' }]}
        >
          <Checkbox.Group options={riskTypes.map((type) => ({ value: type, label: riskTypeLabels[type] }))} />
        </Form.Item>
        <Form.Item
          name="speedLimit"
          label="Speed limit for third-party registries"
          extra="Images per hour per registry connection; 0 = unlimited. It protects the registries' bandwidth and pull quota."
        >
          <InputNumber min={0} max={1000} precision={0} suffix="images/hour" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="name" label="Task name (optional)">
          <Input maxLength={200} placeholder="Named after the time and scope when empty" />
        </Form.Item>
      </Form>
      {pending ? (
        <Descriptions
          bordered
          column={1}
          size="small"
          aria-label="Fee estimate"
          items={[
            { key: 'images', label: 'Images in scope', children: formatCount(pending.estimate.images) },
            {
              key: 'units',
              label: 'Billable scans (one per platform)',
              children: formatCount(pending.estimate.units),
            },
            {
              key: 'free',
              label: 'Of them free this month',
              children: formatCount(pending.estimate.freeUnits),
            },
            {
              key: 'amount',
              label: 'Estimated cost',
              children: (
                <strong>{formatMoney(pending.estimate.amountMicros, pending.estimate.currency)}</strong>
              ),
            },
            {
              key: 'expires',
              label: 'Estimate valid until',
              children: formatTime(pending.estimate.expiresAt),
            },
          ]}
        />
      ) : null}
      {failure ? (
        <Alert type="error" showIcon title={describeError(failure)} style={{ marginTop: 16 }} />
      ) : null}
    </Modal>
  );
}
