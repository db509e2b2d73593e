import * as z from 'zod';
import { dnsLabel, isDnsLabel } from '../lib/core/application/dns-name.ts';
import { parseRevisionName } from '../lib/core/application/revision-name.ts';

/** `?force=true`: only the words true and false, so `?force=yes` is refused instead of read as false. */
export function booleanFlag(description: string) {
  return z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true')
    .meta({ description });
}

/** `?keys=a,b`: a comma-separated list, every entry non-empty. */
export function commaList(description: string) {
  return z
    .string({ error: 'is required: list them separated by commas' })
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .pipe(z.array(z.string().min(1, { error: 'must not contain an empty entry' })))
    .meta({ description });
}

// Path names are checked before they become store keys; a name that is no DNS label cannot be registered anyway.
export const ClusterPath = z.strictObject({
  name: z.string().refine(isDnsLabel, { error: 'must be a cluster name (DNS-1123 label)' }).meta({ description: 'The cluster name.' }),
});

export const ApplicationPath = z.strictObject({
  namespace: dnsLabel('namespace').meta({ description: "The application's namespace." }),
  name: dnsLabel('application name').meta({ description: 'The application name.' }),
});

/** `/namespaces/{namespace}/applications/{name}/revisions/{revision}`: the revision by its name, `<name>-v<N>`. */
export const RevisionPath = z
  .strictObject({
    ...ApplicationPath.shape,
    revision: z
      .string()
      .refine((value) => parseRevisionName(value) !== undefined, { error: 'must be a revision name, <application>-v<N> (flotilla revisions lists them)' })
      .meta({ description: 'The revision, `<name>-v<N>` as `flotilla revisions` lists it.' }),
  })
  .superRefine((path, ctx) => {
    const ref = parseRevisionName(path.revision);
    if (ref !== undefined && ref.application !== path.name) {
      ctx.addIssue({ code: 'custom', path: ['revision'], message: `names application ${ref.application}, not ${path.name}` });
    }
  });

export const TokenPath = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{16}$/, { error: 'must be a token id: 16 hexadecimal digits, as GET /tokens lists them' })
    .meta({ description: 'The token id (not the token).' }),
});
