import { DeleteOutlined, PlusOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { usePermission } from '../access/use-permission.ts';
import {
  complianceSeverities,
  licenseCategories,
  packageEcosystems,
  prohibitedCategories,
  type ScanSettings,
} from '../api/handling-types.ts';
import { formatTime } from '../format/format-time.ts';
import {
  complianceFormValuesOf,
  compliancePolicyOf,
  readCompliancePolicy,
  type CompliancePolicyFormValues,
} from './compliance-policy.ts';
import { listSaveError } from './save-error.ts';
import { useScanSettingsUpdate } from './use-scan-settings.ts';

const categoryOptions = licenseCategories.map((category) => ({ value: category, label: category }));
/** Free lists (SPDX ids, program ids, file names): typed, separated by Enter, comma or space. */
const tagSelect = { mode: 'tags' as const, tokenSeparators: [',', ' '], suffixIcon: null };

/** One prohibited program of the project's list, inside the form's list. */
function ProhibitedEntry({ name, onRemove }: { readonly name: number; readonly onRemove: () => void }) {
  return (
    <Card
      size="small"
      title={
        <Form.Item noStyle dependencies={[['prohibitedSoftware', name, 'id']]}>
          {({ getFieldValue }) => {
            const id: unknown = getFieldValue(['prohibitedSoftware', name, 'id']);
            return typeof id === 'string' && id !== '' ? id : 'New entry';
          }}
        </Form.Item>
      }
      extra={
        <Button size="small" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label="Remove entry" />
      }
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'id']} label="Id" rules={[{ required: true, whitespace: true }]}>
            <Input className="mono" placeholder="my-tunnel" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'category']} label="Category" rules={[{ required: true }]}>
            <Select
              options={prohibitedCategories.map((category) => ({ value: category, label: category }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'severity']} label="Severity" rules={[{ required: true }]}>
            <Select
              options={complianceSeverities.map((severity) => ({ value: severity, label: severity }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name={[name, 'reason']} label="Reason" rules={[{ required: true, whitespace: true }]}>
        <Input placeholder="Opens tunnels out of the cluster" />
      </Form.Item>
      <Form.Item name={[name, 'binaries']} label="Executable names">
        <Select {...tagSelect} placeholder="mytunnel" />
      </Form.Item>
      <Form.List name={[name, 'packages']}>
        {(rows, { add, remove }) => (
          <Form.Item label="Package names">
            <Flex vertical gap={8}>
              {rows.map((row) => (
                <Flex key={row.key} gap={8} align="flex-start">
                  <Form.Item name={[row.name, 'ecosystem']} noStyle rules={[{ required: true }]}>
                    <Select
                      style={{ width: 130 }}
                      options={packageEcosystems.map((ecosystem) => ({ value: ecosystem, label: ecosystem }))}
                      aria-label="Ecosystem"
                    />
                  </Form.Item>
                  <Form.Item name={[row.name, 'names']} noStyle>
                    <Select
                      {...tagSelect}
                      style={{ flex: 1 }}
                      placeholder="package names"
                      aria-label="Names"
                    />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => remove(row.name)}
                    aria-label="Remove package names"
                  />
                </Flex>
              ))}
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ ecosystem: 'deb', names: [] })}
                style={{ alignSelf: 'flex-start' }}
              >
                Add package names
              </Button>
            </Flex>
          </Form.Item>
        )}
      </Form.List>
      <Form.Item name={[name, 'sha256']} label="SHA-256 of known builds" style={{ marginBottom: 0 }}>
        <Select {...tagSelect} placeholder="hex digests" />
      </Form.Item>
    </Card>
  );
}

/**
 * The project's compliance policy (PRODUCT.md 4, software compliance): which licence categories
 * are forbidden or reported for review, licences always allowed or denied, the project's own
 * prohibited software beside the built-in list, built-in entries it accepts, and the end-of-life
 * notice. Saved whole (`PATCH scan-settings`, `compliancePolicy` as JSON text); "Use the built-in
 * policy" sends null. It applies to the next scans.
 */
export function CompliancePolicyForm({
  projectId,
  settings,
}: {
  readonly projectId: string;
  readonly settings: ScanSettings;
}) {
  const { message } = App.useApp();
  const access = usePermission('results:handle');
  const [form] = Form.useForm<CompliancePolicyFormValues>();
  const update = useScanSettingsUpdate(projectId);
  const stored = readCompliancePolicy(settings.compliancePolicy);

  const save = async (next: string | null) => {
    try {
      const saved = await update.mutateAsync({ compliancePolicy: next });
      form.setFieldsValue(complianceFormValuesOf(readCompliancePolicy(saved.compliancePolicy)));
      void message.success(
        next === null ? 'The built-in compliance policy applies again.' : 'Compliance policy saved.',
      );
    } catch {
      // The error shows above the buttons.
    }
  };
  const error = listSaveError(update.error, 'compliancePolicy');

  return (
    <Form<CompliancePolicyFormValues>
      form={form}
      layout="vertical"
      initialValues={complianceFormValuesOf(stored)}
      disabled={!access.allowed}
      onFinish={(values) => void save(JSON.stringify(compliancePolicyOf(values)))}
      aria-label="Compliance policy"
      data-testid="compliance-policy-form"
    >
      <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
        {stored ? <Tag color="blue">Project policy</Tag> : <Tag>Built-in policy</Tag>}
        <Typography.Text type="secondary">
          {stored
            ? `Settings last changed ${formatTime(settings.updatedAt)}.`
            : 'The built-in policy applies; saving this form makes it the project policy.'}
        </Typography.Text>
      </Flex>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="forbiddenCategories"
            label="Forbidden licence categories"
            extra="A package under one of these is a violation (high)."
          >
            <Select mode="multiple" options={categoryOptions} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="restrictedCategories"
            label="Licence categories reported for review"
            extra="Reported at medium severity."
          >
            <Select mode="multiple" options={categoryOptions} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="restrictedScope" label="Review restricted licences of">
        <Radio.Group
          options={[
            { value: 'application', label: 'Application packages only (not OS packages)' },
            { value: 'all', label: 'All packages' },
          ]}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="allowIds" label="Licences always allowed (SPDX ids)">
            <Select {...tagSelect} placeholder="MPL-2.0" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="denyIds" label="Licences always denied (SPDX ids)" extra="Deny wins over allow.">
            <Select {...tagSelect} placeholder="AGPL-3.0" />
          </Form.Item>
        </Col>
      </Row>
      <Flex gap={32} wrap>
        <Form.Item name="reportUnknown" label="Report unreadable licences" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="reportUndeclared" label="Report packages without a licence" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="endOfLifeNoticeDays"
          label="End-of-life notice"
          rules={[{ required: true, message: 'Days ahead; 0 = only what is past its end' }]}
        >
          <InputNumber suffix="days ahead" style={{ width: 170 }} />
        </Form.Item>
      </Flex>
      <Form.Item
        name="allowSoftware"
        label="Built-in prohibited software the project accepts (ids)"
        extra="For example socat in a debugging image."
      >
        <Select {...tagSelect} placeholder="socat" />
      </Form.Item>
      <Form.List name="prohibitedSoftware">
        {(entries, { add, remove }) => (
          <Form.Item label="The project's own prohibited software">
            <Flex vertical gap={12}>
              {entries.length === 0 ? (
                <Typography.Text type="secondary">None besides the built-in list.</Typography.Text>
              ) : null}
              {entries.map((entry) => (
                <ProhibitedEntry key={entry.key} name={entry.name} onRemove={() => remove(entry.name)} />
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() =>
                  add({
                    id: '',
                    category: 'remote-access',
                    severity: 'high',
                    reason: '',
                    binaries: [],
                    sha256: [],
                    packages: [],
                  })
                }
                style={{ alignSelf: 'flex-start' }}
              >
                Add prohibited software
              </Button>
            </Flex>
          </Form.Item>
        )}
      </Form.List>
      {error !== undefined ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title="The policy was not saved"
          description={error}
        />
      ) : null}
      <Flex gap={8} wrap>
        <GuardedButton
          permission="results:handle"
          type="primary"
          htmlType="submit"
          icon={<SaveOutlined />}
          loading={update.isPending}
        >
          Save compliance policy
        </GuardedButton>
        <Button onClick={() => form.resetFields()}>Reset</Button>
        <GuardedButton
          permission="results:handle"
          danger
          icon={<RollbackOutlined />}
          unavailableReason={stored ? undefined : 'The built-in policy already applies.'}
          confirm={{
            title: 'Use the built-in policy?',
            description: "The project's own policy is dropped; the next scans use the built-in one.",
            okText: 'Use the built-in policy',
            onConfirm: () => void save(null),
          }}
        >
          Use the built-in policy
        </GuardedButton>
      </Flex>
    </Form>
  );
}
