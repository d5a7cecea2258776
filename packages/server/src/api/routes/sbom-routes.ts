import { z } from 'zod';
import { imageSbom, sbomContentTypes, sbomFormats } from '../../results/image-sbom.ts';
import { defineRoute } from '../route.ts';
import { idSchema, text } from '../schemas/common.ts';

/**
 * An image's software inventory as a CycloneDX or SPDX document, for one platform's current
 * result: the file itself (a download), which the console links to and other tools fetch with a
 * token. Only the inventory is in it (results/image-sbom.ts says why findings are not).
 */

export const sbomRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/images/:imageId/sbom',
    operationId: 'downloadImageSbom',
    summary: "The SBOM of one platform's current result, as CycloneDX 1.6 or SPDX 2.3 JSON",
    description:
      'The document `drydock image --format cyclonedx|spdx-json` writes, with the inventory only (packages, operating system, image identity; no findings). `platform` is required when the image has several scanned platforms (400 `invalid_request` lists them in `details.platforms`); 404 `not_found` for a platform without a result, 409 `conflict` for an image without any result yet.',
    tags: ['image reports'],
    permission: 'images:get',
    params: z.strictObject({ projectId: idSchema, imageId: idSchema }),
    querystring: z.strictObject({
      format: z
        .enum(sbomFormats)
        .describe('`cyclonedx` (CycloneDX 1.6 JSON) or `spdx-json` (SPDX 2.3 JSON), as the CLI names them'),
      platform: text(128)
        .optional()
        .describe('os/arch[/variant]; may be left out for an image with one scanned platform'),
    }),
    reply: z.string(),
    replyContentTypes: Object.values(sbomContentTypes),
    handler: async ({ service, params, query, reply }) => {
      const results = await service.results.image(params.projectId, params.imageId);
      const sbom = imageSbom(results, { format: query.format, platform: query.platform });
      reply
        .header('content-type', sbom.contentType)
        .header('content-disposition', `attachment; filename="${sbom.fileName}"`)
        .header('x-content-type-options', 'nosniff');
      return sbom.content;
    },
  }),
];
