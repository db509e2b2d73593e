import * as z from 'zod';
import { errorStatuses } from '../api/api-error.ts';

export const ErrorDetail = z.object({
  path: z.string().meta({ description: 'Where the problem is: `spec.components[0].type`, `query.force`, `path.name`; empty for the whole input.' }),
  message: z.string(),
});

/** The one error shape of every 4xx and 5xx answer. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorStatuses) as [keyof typeof errorStatuses, ...(keyof typeof errorStatuses)[]]),
    message: z.string().meta({ description: 'For people; never a stack trace.' }),
    details: z.array(ErrorDetail).meta({ description: 'Every problem found, for validation failures; empty otherwise.' }),
  }),
});
