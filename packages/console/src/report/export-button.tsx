import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Flex, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import { useApi } from '../api/api-context.tsx';
import { describeError } from '../api/api-error.ts';
import type { ExportJob, ExportRequest } from '../api/export-types.ts';
import { exportDownloadHref, exportPollMs, isExportWriting } from '../exports/export-job.ts';
import { exportQueryKeys } from '../exports/export-query-keys.ts';

/**
 * Starts an export job (`POST exports`, written in the background), follows it, and offers its
 * file (`GET exports/{id}/download`, same-origin, so the session cookie goes with the link) once
 * it has finished. The Exports page lists the same jobs.
 */
export function ExportButton({
  projectId,
  request,
  label,
  testId,
}: {
  readonly projectId: string;
  readonly request: ExportRequest;
  readonly label: string;
  readonly testId?: string;
}) {
  const api = useApi();
  const base = `/projects/${encodeURIComponent(projectId)}/exports`;
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const start = useMutation({
    mutationFn: () => api.post<ExportJob>(base, request),
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: exportQueryKeys.job(projectId, jobId ?? ''),
    queryFn: ({ signal }) =>
      api.get<ExportJob>(`${base}/${encodeURIComponent(jobId ?? '')}`, undefined, signal),
    enabled: jobId !== undefined,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === undefined || isExportWriting(status) ? exportPollMs : false;
    },
  });
  const current = jobId === undefined ? undefined : job.data;
  const working =
    start.isPending || (jobId !== undefined && (current === undefined || isExportWriting(current.status)));
  const failure = start.error ?? job.error;
  return (
    <Flex gap={6} align="center" data-testid={testId}>
      {current?.status === 'finished' ? (
        <Button type="link" icon={<DownloadOutlined />} href={exportDownloadHref(current)} download>
          Download {label}
        </Button>
      ) : (
        <GuardedButton
          permission="images:get"
          icon={<ExportOutlined />}
          loading={working}
          onClick={() => start.mutate()}
        >
          {label}
        </GuardedButton>
      )}
      {current?.status === 'failed' ? (
        <Tooltip title={current.error}>
          <Typography.Text type="danger">Export failed</Typography.Text>
        </Tooltip>
      ) : null}
      {failure ? <Typography.Text type="danger">{describeError(failure)}</Typography.Text> : null}
    </Flex>
  );
}
