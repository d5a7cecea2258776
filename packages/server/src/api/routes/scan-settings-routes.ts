import { z } from 'zod';
import { defineRoute } from '../route.ts';
import { projectParams, text } from '../schemas/common.ts';

/**
 * The project's own inputs to its next scans (PRODUCT.md 4.1): the weak-password words, the
 * secret path allowlist, and the compliance policy (licence categories and ids, prohibited and
 * allowed software, end-of-life notice). Reading them needs `results:handle` too: the word list
 * may hold the company's own guessable passwords. Audit entries count the words, never list them.
 */

const settingsSchema = z
  .object({
    projectId: z.string(),
    weakPasswords: z.array(z.string()),
    secretPathAllowlist: z.array(z.string()),
    compliancePolicy: z
      .unknown()
      .describe('The validated compliance policy document; null = the built-in defaults'),
    scanOnPush: z
      .boolean()
      .describe('A registry push notification starts a scan of the pushed image (default false)'),
    updatedAt: z.date().nullable().describe('null while the project never changed its settings'),
  })
  .meta({ id: 'ScanSettings' });

/** Large word lists are the point of this route: it takes up to 8 MiB. */
const settingsBodyLimit = 8 * 1024 * 1024;
const tags = ['handling'];

export const scanSettingsRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/scan-settings',
    operationId: 'getScanSettings',
    summary: 'Weak-password words, secret path allowlist and compliance policy',
    tags,
    permission: 'results:handle',
    params: projectParams,
    reply: settingsSchema,
    handler: async ({ service, params }) => {
      const settings = await service.results.settings(params.projectId);
      return { ...settings, compliancePolicy: settings.compliancePolicy ?? null };
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/projects/:projectId/scan-settings',
    operationId: 'updateScanSettings',
    summary: 'Change the given settings; absent ones keep their value',
    description:
      'The path allowlist applies to stored results at once (findings on those paths count as ignored); the words and the policy apply to the next scans. `compliancePolicy` is the policy file as YAML or JSON text; null returns to the built-in policy.',
    tags,
    permission: 'results:handle',
    params: projectParams,
    bodyLimit: settingsBodyLimit,
    body: z.strictObject({
      weakPasswords: z.array(text(256).min(1)).max(100_000).optional(),
      secretPathAllowlist: z.array(text(1000).min(1)).max(1000).optional(),
      compliancePolicy: text(1024 * 1024)
        .nullable()
        .optional(),
      scanOnPush: z.boolean().optional(),
    }),
    reply: settingsSchema,
    handler: async ({ service, params, body, audit }) => {
      const settings = await service.results.updateSettings(params.projectId, body);
      await audit({
        projectId: params.projectId,
        action: 'scan_settings.update',
        objectType: 'scan_settings',
        objectId: params.projectId,
        details: {
          ...(body.weakPasswords ? { weakPasswords: settings.weakPasswords.length } : {}),
          ...(body.secretPathAllowlist ? { secretPathAllowlist: settings.secretPathAllowlist } : {}),
          ...(body.compliancePolicy !== undefined
            ? { compliancePolicy: body.compliancePolicy === null ? 'default' : 'set' }
            : {}),
          ...(body.scanOnPush === undefined ? {} : { scanOnPush: body.scanOnPush }),
        },
      });
      return { ...settings, compliancePolicy: settings.compliancePolicy ?? null };
    },
  }),
];
