import { PauseCircleOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Col, Row } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { usePermission } from '../access/use-permission.ts';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import { PolicyForm } from '../policy/policy-form.tsx';
import { policyQueryKeys } from '../policy/policy-query-keys.ts';
import { PolicySummaryCard } from '../policy/policy-summary-card.tsx';
import { TimeZoneDialog } from '../policy/time-zone-dialog.tsx';
import { policyPath, useScanPolicy } from '../policy/use-scan-policy.ts';
import { useRegistries } from '../registries/use-registries.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { useProjects } from '../shell/use-projects.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';

/**
 * Scheduled policy (PRODUCT.md section 5): the project's one scheduled scan policy as a form, what
 * is stored with its last and next run, stopping scheduled scans (`DELETE policy`, which keeps the
 * settings, disabled), and the project's time zone the window is read in.
 */
export function ScheduledPolicyPage() {
  const projectId = useCurrentProjectId();
  const api = useApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const policy = useScanPolicy(projectId);
  const projects = useProjects();
  const mayListRegistries = usePermission('registries:list').allowed;
  const registries = useRegistries(projectId, mayListRegistries);
  const timeZoneDialog = useDialogState<string>();

  const stop = useMutation({
    mutationFn: () => api.command('DELETE', policyPath(projectId)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: policyQueryKeys.policy(projectId) });
      void message.success('Scheduled scans stopped; the policy is kept, switched off.');
    },
    onError: (error) => void message.error(describeError(error)),
  });

  const stored = policy.data;
  const timeZone =
    stored?.timeZone ?? projects.data?.find((project) => project.id === projectId)?.timeZone ?? '…';
  const stopUnavailable =
    stored === null
      ? 'The project has no scheduled policy.'
      : stored?.enabled === false
        ? 'Scheduled scans are already off.'
        : undefined;

  return (
    <PageFrame
      title="Scheduled policy"
      description="When, what and how fast the project's images are scanned on a schedule."
      actions={
        <GuardedButton
          permission="policies:set"
          danger
          icon={<PauseCircleOutlined />}
          loading={stop.isPending}
          unavailableReason={stored === undefined ? 'Loading the policy…' : stopUnavailable}
          confirm={{
            title: 'Stop scheduled scans?',
            description:
              'The policy is switched off and keeps its settings; running scheduled tasks are not stopped.',
            okText: 'Stop scheduled scans',
            onConfirm: () => stop.mutate(),
          }}
        >
          Stop scheduled scans
        </GuardedButton>
      }
    >
      {policy.isError ? (
        <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />
      ) : stored === undefined ? (
        <LoadingState label="Loading the scheduled policy…" />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <PolicyForm
              // A new answer (saved, stopped, another time zone) starts the form from what is stored.
              key={policy.dataUpdatedAt}
              projectId={projectId}
              policy={stored}
              timeZone={timeZone}
              registries={mayListRegistries ? registries.data : undefined}
            />
          </Col>
          <Col xs={24} xl={9}>
            <PolicySummaryCard
              policy={stored}
              timeZone={timeZone}
              registries={mayListRegistries ? registries.data : undefined}
              onChangeTimeZone={() => timeZoneDialog.show(timeZone)}
            />
          </Col>
        </Row>
      )}
      <TimeZoneDialog
        key={timeZoneDialog.key}
        open={timeZoneDialog.open}
        projectId={projectId}
        current={timeZoneDialog.value ?? timeZone}
        onClose={timeZoneDialog.close}
      />
    </PageFrame>
  );
}
