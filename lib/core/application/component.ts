import * as z from 'zod';
import { dnsLabel } from './dns-name.ts';

/** Free-form properties; each definition's own schema checks them. */
export const Properties = z.record(z.string(), z.unknown());
export type Properties = z.infer<typeof Properties>;

export const ApplicationTrait = z.strictObject({
  type: z.string().min(1),
  properties: Properties.optional(),
});
export type ApplicationTrait = z.infer<typeof ApplicationTrait>;

export const ApplicationComponent = z.strictObject({
  name: dnsLabel('component name'),
  type: z.string().min(1),
  properties: Properties.optional(),
  traits: z.array(ApplicationTrait).optional(),
  dependsOn: z.array(z.string()).optional(),
});
export type ApplicationComponent = z.infer<typeof ApplicationComponent>;
