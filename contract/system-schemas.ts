import * as z from 'zod';

export const HealthStatus = z.object({ status: z.literal('ok') });

export const OpenApiDocument = z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document.' });
