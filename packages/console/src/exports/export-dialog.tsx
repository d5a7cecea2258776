import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Modal, Radio, Select } from 'antd';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import {
  exportFormats,
  exportKinds,
  type ExportFilter,
  type ExportFormat,
  type ExportJob,
  type ExportKind,
  type ExportRequest,
} from '../api/export-types.ts';
import { severityLevels, type HandlingState, type SeverityLevel } from '../api/handling-types.ts';
import { riskLevelLabels } from '../format/risk-level.ts';
import { handlingStateLabels } from '../handling/handling-labels.ts';
import { exportFormatLabels, exportKindLabels, handlingStatesOf, hasSeverities } from './export-labels.ts';
import { exportQueryKeys } from './export-query-keys.ts';
import { ImagePicker } from './image-picker.tsx';

interface ExportForm {
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  readonly severities?: readonly SeverityLevel[];
  readonly handling?: readonly HandlingState[];
  readonly imageId?: string;
}

/** The request: filters the kind does not take are left out; an empty choice filters nothing. */
function requestOf(values: ExportForm): ExportRequest {
  if (values.kind === 'image')
    return { kind: 'image', format: values.format, filter: { imageId: values.imageId ?? '' } };
  const filter: ExportFilter = {
    ...(hasSeverities(values.kind) && values.severities?.length ? { severities: values.severities } : {}),
    ...(handlingStatesOf(values.kind).length > 0 && values.handling?.length
      ? { handling: values.handling }
      : {}),
  };
  return { kind: values.kind, format: values.format, ...(Object.keys(filter).length > 0 ? { filter } : {}) };
}

/**
 * Starts an export (`POST exports`): what to export (a risk type across the project's images, the
 * software inventory, or one image's whole report), the format, and for findings which severities
 * and handling states. The job runs in the background; the list follows it.
 */
export function ExportDialog({
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
  const [form] = Form.useForm<ExportForm>();
  const create = useMutation({
    mutationFn: (request: ExportRequest) =>
      api.post<ExportJob>(`/projects/${encodeURIComponent(projectId)}/exports`, request),
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: exportQueryKeys.list(projectId) });
      void message.success(`Export of ${exportKindLabels[job.kind].toLowerCase()} started.`);
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title="Create export"
      okText="Start export"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      afterClose={() => create.reset()}
      destroyOnHidden
      width={580}
    >
      <Form<ExportForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'vulnerability', format: 'csv', severities: [], handling: [] }}
        onFinish={(values) => create.mutate(requestOf(values))}
        aria-label="Export"
      >
        <Form.Item name="kind" label="What to export">
          <Select
            aria-label="What to export"
            options={exportKinds.map((kind) => ({ value: kind, label: exportKindLabels[kind] }))}
          />
        </Form.Item>
        <Form.Item name="format" label="Format">
          <Radio.Group
            options={exportFormats.map((format) => ({ value: format, label: exportFormatLabels[format] }))}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['kind']}>
          {({ getFieldValue }) => {
            const kind: ExportKind = getFieldValue('kind');
            const handling = handlingStatesOf(kind);
            return (
              <>
                {kind === 'image' ? (
                  <Form.Item
                    name="imageId"
                    label="Image"
                    rules={[{ required: true, message: 'Choose the image' }]}
                    extra="Its report: every scanned platform with all its findings."
                  >
                    <ImagePicker projectId={projectId} />
                  </Form.Item>
                ) : null}
                {hasSeverities(kind) ? (
                  <Form.Item name="severities" label="Severities (none ticked: all)">
                    <Checkbox.Group
                      options={severityLevels.map((severity) => ({
                        value: severity,
                        label: riskLevelLabels[severity],
                      }))}
                    />
                  </Form.Item>
                ) : null}
                {handling.length > 0 ? (
                  <Form.Item name="handling" label="Handling (none ticked: all)">
                    <Checkbox.Group
                      options={handling.map((state) => ({ value: state, label: handlingStateLabels[state] }))}
                    />
                  </Form.Item>
                ) : null}
              </>
            );
          }}
        </Form.Item>
      </Form>
      {create.isError ? <Alert type="error" showIcon title={describeError(create.error)} /> : null}
    </Modal>
  );
}
