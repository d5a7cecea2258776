import { useQuery } from '@tanstack/react-query';
import { Card, Statistic } from 'antd';
import { useApi } from '../api/api-context.tsx';
import type { VulnerabilityDatabaseStatus } from '../api/database-types.ts';
import { formatCount, formatTime } from '../format/format-time.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';

const daySeconds = 86_400;

/** The vulnerability database's age: findings are only as fresh as the data they were matched with. */
export function DatabaseCard() {
  const api = useApi();
  const status = useQuery({
    queryKey: ['vulnerability-database'],
    queryFn: ({ signal }) =>
      api.get<VulnerabilityDatabaseStatus>('/vulnerability-database', undefined, signal),
  });
  const data = status.data;
  return (
    <Card title="Vulnerability database" data-testid="database-card">
      {status.isError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : !data ? (
        <LoadingState minHeight={80} />
      ) : !data.available ? (
        <Statistic title="Status" value="Not loaded" />
      ) : (
        <>
          <Statistic
            title="Age"
            value={data.ageSeconds === undefined ? '—' : (data.ageSeconds / daySeconds).toFixed(1)}
            suffix={data.ageSeconds === undefined ? undefined : 'days'}
          />
          <div>Built {formatTime(data.builtAt)}</div>
          {data.records === undefined ? null : <div>{formatCount(data.records)} advisories</div>}
        </>
      )}
    </Card>
  );
}
