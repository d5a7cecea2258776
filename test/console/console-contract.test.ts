import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { permissions } from '../../packages/console/src/access/permissions.ts';
import {
  imageScanStatuses,
  imageSortKeys,
  registryTypes,
  riskLevels,
} from '../../packages/console/src/api/image-types.ts';
import { apiErrorCodes } from '../../packages/console/src/api/api-error.ts';
import { connectionStatuses } from '../../packages/console/src/api/registry-types.ts';
import {
  riskTypes,
  scanTaskStatuses,
  scanTaskTypes,
  syncStatuses,
  syncTriggers,
} from '../../packages/console/src/api/task-types.ts';
import { taskImageStatuses } from '../../packages/console/src/api/task-manager-types.ts';
import {
  handlingActions,
  handlingStates,
  severityLevels,
} from '../../packages/console/src/api/handling-types.ts';
import { exportFormats, exportKinds, exportStatuses } from '../../packages/console/src/api/export-types.ts';
import { auditExportFormats } from '../../packages/console/src/api/audit-types.ts';
import { riskViewKinds } from '../../packages/console/src/api/risk-types.ts';
import { webhookDeliveryStatuses, webhookEvents } from '../../packages/console/src/webhooks/webhook-types.ts';
import { failureCodes } from '@drydock/engine';
import { apiErrorCodes as httpErrorCodes } from '../../packages/server/src/api/api-error.ts';
import { serviceErrorCodes } from '../../packages/server/src/service-error.ts';
import { json, startTestApi, type TestApi } from '../api/api-harness.ts';

/**
 * The console writes the API's value lists out (it talks to the API only, never imports the
 * server); this checks each against the enums of the running service's OpenAPI document, so a
 * value added to the API shows up here before it shows up as a blank cell in the console.
 */

let api: TestApi;
let enums: readonly string[];

/** Every enum of the document, each as its sorted values joined by commas. */
function enumsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) enumsIn(item, found);
    return found;
  }
  if (typeof value !== 'object' || value === null) return found;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'enum' && Array.isArray(child))
      found.push(
        child
          .filter((item) => typeof item === 'string')
          .sort()
          .join(','),
      );
    else enumsIn(child, found);
  }
  return found;
}

before(async () => {
  api = await startTestApi();
  enums = enumsIn(json(await api.call(undefined, { method: 'GET', url: '/api/v1/openapi.json' })));
});

after(async () => {
  await api?.close();
});

const lists = {
  permissions,
  imageScanStatuses,
  imageSortKeys,
  registryTypes,
  riskLevels,
  connectionStatuses,
  riskTypes,
  scanTaskStatuses,
  syncStatuses,
  scanTaskTypes,
  syncTriggers,
  taskImageStatuses,
  handlingActions,
  handlingStates,
  severityLevels,
  exportKinds,
  exportFormats,
  exportStatuses,
  auditExportFormats,
  riskViewKinds,
  webhookEvents,
  webhookDeliveryStatuses,
} as const;

for (const [name, values] of Object.entries(lists))
  test(`the console's ${name} are an enum of the API`, () => {
    const key = [...values].sort().join(',');
    assert.ok(enums.includes(key), `no enum of the OpenAPI document is [${key}]`);
  });

test('the console knows every error code the API answers with', () => {
  const known: readonly string[] = apiErrorCodes;
  // The engine's 500s (analysis_failed, internal_error) reach the client as internal_error.
  const answered = [...httpErrorCodes, ...serviceErrorCodes, ...failureCodes].filter(
    (code) => code !== 'analysis_failed',
  );
  for (const code of answered) assert.ok(known.includes(code), code);
});
