/**
 * A `drydock worker`-like process for the worker crash test: scan workers only, on the PostgreSQL
 * database of DATABASE_URL, until the parent kills it. Arguments: STATE_DIR SECRET_KEY.
 */
import { DrydockService } from '@drydock/server';

const [stateDir, secretKey] = process.argv.slice(2);
const url = process.env['DATABASE_URL'];
if (!stateDir || !secretKey || !url)
  throw new Error('usage: DATABASE_URL=... worker-child.ts STATE_DIR SECRET_KEY');
await DrydockService.open({
  store: { kind: 'postgres', url },
  stateDir,
  secretKey,
  tickMs: 0,
  dailySyncAt: null,
  workers: { manual: 1, scheduled: 0 },
  queue: {
    retryLimit: 1,
    retryDelaySeconds: 1,
    heartbeatSeconds: 10,
    expireInSeconds: 600,
    superviseIntervalSeconds: 1,
  },
});
process.stdout.write('worker ready\n');
