import * as z from 'zod';

/** `checks` is absent from servers that only said they were up; the CLI reads `status`. */
export const HealthStatus = z.object({
  status: z.literal('ok'),
  checks: z
    .object({ store: z.literal('ok'), queues: z.literal('ok') })
    .optional()
    .meta({ description: 'Each dependency answered a cheap read within the deadline; when one did not, the answer is 503 instead.' }),
});

export const OpenApiDocument = z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document.' });
