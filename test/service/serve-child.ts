/**
 * A `drydock serve`-like process (scheduler, daily sync and dispatcher; no scan workers, no API)
 * on the PostgreSQL database of DATABASE_URL, whose clock reads the instant (epoch milliseconds)
 * in CLOCK_FILE, so a test moves several processes through days at once. Runs until killed.
 * Arguments: STATE_DIR SECRET_KEY CLOCK_FILE.
 */
import { readFileSync } from 'node:fs';
import { DrydockService } from '@drydock/server';

const [stateDir, secretKey, clockFile] = process.argv.slice(2);
const url = process.env['DATABASE_URL'];
if (!stateDir || !secretKey || !clockFile || !url)
  throw new Error('usage: DATABASE_URL=... serve-child.ts STATE_DIR SECRET_KEY CLOCK_FILE');
await DrydockService.open({
  store: { kind: 'postgres', url },
  stateDir,
  secretKey,
  tickMs: 100,
  dailySyncAt: '01:00',
  workers: { manual: 0, scheduled: 0 },
  clock: { now: () => new Date(Number(readFileSync(clockFile, 'utf8'))) },
});
process.stdout.write('serve ready\n');
