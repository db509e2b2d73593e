import * as z from 'zod';
import { Properties } from './component.ts';
import { dnsLabel } from './dns-name.ts';

/** A policy as written in the Application; lib/policy checks `properties` against the schema of its `type`. */
export const ApplicationPolicy = z.strictObject({
  name: dnsLabel('policy name'),
  type: z.string().min(1),
  properties: Properties.optional(),
});
export type ApplicationPolicy = z.infer<typeof ApplicationPolicy>;
