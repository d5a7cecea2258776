import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Switch,
  Typography,
} from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { usePermission } from '../access/use-permission.ts';
import { useApi } from '../api/api-context.tsx';
import { formFailureText, formFieldErrors } from '../api/api-field-errors.ts';
import type { ScanPolicy } from '../api/policy-types.ts';
import type { RegistryConnection } from '../api/registry-types.ts';
import { riskTypes } from '../api/task-types.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import {
  formValuesOf,
  periodDayPresets,
  policyFormFields,
  policyInputOf,
  updatedWithinPresets,
  type PolicyFormValues,
} from './policy-form-values.ts';
import { policyQueryKeys } from './policy-query-keys.ts';
import { policyPath } from './use-scan-policy.ts';
import { WindowChart } from './window-chart.tsx';

/** Quick values under a number field (presets of PRODUCT.md section 5). */
function Presets({
  values,
  onPick,
}: {
  readonly values: readonly { readonly value: number; readonly label: string }[];
  readonly onPick: (value: number) => void;
}) {
  return (
    <Flex gap={4} wrap style={{ marginTop: 6 }}>
      {values.map((preset) => (
        <Button key={preset.value} size="small" onClick={() => onPick(preset.value)}>
          {preset.label}
        </Button>
      ))}
    </Flex>
  );
}

/**
 * The scheduled scan policy as a form (PRODUCT.md section 5): on/off, every N days, the window,
 * risk types, speed limit, registries and the image update range. Saving sends `PUT policy`; the
 * fields an `invalid_request` names show its messages, anything else shows above the buttons.
 * Without `policies:set` the form is read-only and says why.
 */
export function PolicyForm({
  projectId,
  policy,
  timeZone,
  registries,
}: {
  readonly projectId: string;
  /** null: the project has no policy yet; saving creates it. */
  readonly policy: ScanPolicy | null;
  readonly timeZone: string;
  /** Undefined when the user may not list registries (the stored choice is kept as it is). */
  readonly registries: readonly RegistryConnection[] | undefined;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const access = usePermission('policies:set');
  const [form] = Form.useForm<PolicyFormValues>();
  const windowStart = Form.useWatch('windowStart', form) ?? policy?.windowStart ?? '';
  const windowEnd = Form.useWatch('windowEnd', form) ?? policy?.windowEnd ?? '';
  const scope = Form.useWatch('scope', form);

  const save = useMutation({
    mutationFn: (values: PolicyFormValues) =>
      api.request<ScanPolicy>('PUT', policyPath(projectId), { body: policyInputOf(values) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(policyQueryKeys.policy(projectId), saved);
      void message.success(
        saved.enabled ? 'Scheduled policy saved.' : 'Scheduled policy saved; scheduled scans are off.',
      );
    },
    onError: (error) => form.setFields(formFieldErrors(error, policyFormFields)),
  });
  // What the fields do not show: failures other than validation, and issues no field takes.
  const failureText = formFailureText(save.error, policyFormFields);

  const registryOptions = registries
    ? registries.map((registry) => ({ value: registry.id, label: registry.name }))
    : (policy?.connectionIds ?? []).map((id) => ({ value: id, label: `Registry ${id}` }));

  return (
    <Card title={policy ? 'Schedule' : 'Schedule (not set up yet)'}>
      {access.allowed ? null : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="Read only"
          description={access.reason}
          data-testid="policy-read-only"
        />
      )}
      <Form<PolicyFormValues>
        form={form}
        layout="vertical"
        initialValues={formValuesOf(policy)}
        disabled={!access.allowed}
        onFinish={(values) => save.mutate(values)}
        aria-label="Scheduled scan policy"
        style={{ maxWidth: 640 }}
      >
        <Form.Item name="enabled" label="Scheduled scans" valuePropName="checked">
          <Switch checkedChildren="On" unCheckedChildren="Off" aria-label="Scheduled scans on" />
        </Form.Item>
        <Form.Item label="Run every" required>
          <Form.Item name="periodDays" noStyle rules={[{ required: true, message: 'How many days apart' }]}>
            <InputNumber suffix="days" style={{ width: 160 }} aria-label="Run every (days)" />
          </Form.Item>
          <Presets
            values={periodDayPresets.map((preset) => ({ value: preset.days, label: preset.label }))}
            onPick={(days) => form.setFields([{ name: 'periodDays', value: days, errors: [] }])}
          />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item
            name="windowStart"
            label="Window starts"
            rules={[{ required: true, message: 'A time as HH:MM' }]}
          >
            <Input placeholder="HH:MM" style={{ width: 120 }} maxLength={5} />
          </Form.Item>
          <Form.Item
            name="windowEnd"
            label="Window ends"
            rules={[{ required: true, message: 'A time as HH:MM' }]}
          >
            <Input placeholder="HH:MM" style={{ width: 120 }} maxLength={5} />
          </Form.Item>
          <Form.Item label="Time zone">
            <Typography.Text data-testid="policy-time-zone">{timeZone}</Typography.Text>
          </Form.Item>
        </Flex>
        <div style={{ marginTop: -12, marginBottom: 16 }}>
          <WindowChart start={windowStart} end={windowEnd} timeZone={timeZone} />
          <Typography.Text type="secondary">
            Scans start only inside the window; images still queued when it closes wait for the next one. An
            end before the start runs past midnight.
          </Typography.Text>
        </div>
        <Form.Item
          name="riskTypes"
          label="Risk types"
          rules={[{ required: true, message: 'Choose at least one risk type' }]}
        >
          <Checkbox.Group options={riskTypes.map((type) => ({ value: type, label: riskTypeLabels[type] }))} />
        </Form.Item>
        <Form.Item
          name="speedLimit"
          label="Speed limit"
          extra="Images per hour per registry connection; 0 = unlimited."
          rules={[{ required: true, message: 'A number; 0 = unlimited' }]}
        >
          <InputNumber suffix="images/hour" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="scope" label="Registries">
          <Radio.Group
            options={[
              { value: 'all', label: 'All registries of the project' },
              { value: 'registries', label: 'Only these registries' },
            ]}
          />
        </Form.Item>
        {scope === 'registries' ? (
          <Form.Item
            name="connectionIds"
            rules={[{ required: true, message: 'Choose at least one registry' }]}
            extra={registries ? undefined : 'Your role cannot list registries; the stored choice is kept.'}
          >
            <Select mode="multiple" options={registryOptions} aria-label="Chosen registries" />
          </Form.Item>
        ) : null}
        <Form.Item label="Only images updated in the last" required>
          <Form.Item
            name="updatedWithinDays"
            noStyle
            rules={[{ required: true, message: 'A number of days; 0 = all images' }]}
          >
            <InputNumber
              suffix="days"
              style={{ width: 160 }}
              aria-label="Only images updated in the last (days)"
            />
          </Form.Item>
          <Presets
            values={updatedWithinPresets.map((days) => ({
              value: days,
              label: days === 0 ? 'All images' : `${days} ${days === 1 ? 'day' : 'days'}`,
            }))}
            onPick={(days) => form.setFields([{ name: 'updatedWithinDays', value: days, errors: [] }])}
          />
        </Form.Item>
        {failureText !== undefined ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title="The policy was not saved"
            description={failureText}
          />
        ) : null}
        <Flex gap={8}>
          <GuardedButton
            permission="policies:set"
            type="primary"
            htmlType="submit"
            icon={<SaveOutlined />}
            loading={save.isPending}
          >
            {policy ? 'Save policy' : 'Create policy'}
          </GuardedButton>
          <Button onClick={() => form.resetFields()}>Reset</Button>
        </Flex>
      </Form>
    </Card>
  );
}
