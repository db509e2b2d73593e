import * as z from 'zod';
import { redactedSecretValue } from '../secret/secret-values.ts';

/**
 * An address Flotilla posts to: http or https only (the egress policy then judges the host when it connects). A stored
 * revision shows it redacted (it is sealed beside the document); a submit of the marker itself is refused earlier.
 */
export const OutboundUrl = z.union([z.literal(redactedSecretValue), z.url({ protocol: /^https?$/, error: 'expected an http or https URL' })], {
  error: (issue) => (issue.input === undefined ? undefined : 'expected an http or https URL'),
});

/** KubeVela writes secrets either inline or as `{ value: ... }`; Flotilla takes both and seals the value at submit. */
const Valued = <T extends z.ZodType>(inner: T) => z.union([inner, z.strictObject({ value: inner })], {
    error: (issue) => (issue.input === undefined ? undefined : 'expected a value or { value: ... }'),
  });
const HmacKey = z.union([z.literal(redactedSecretValue), z.string().min(16, 'expected at least 16 characters')]);

export const notificationMessageLimit = 4000;

/**
 * The `notification` step's properties: a Slack incoming webhook and/or a generic webhook signed with HMAC-SHA256.
 * `message` is a template: {{application}}, {{namespace}}, {{revision}}, {{step}} and {{outcome}} are filled in.
 */
export const NotificationStepProperties = z
  .strictObject({
    slack: z.strictObject({ url: Valued(OutboundUrl), message: z.strictObject({ text: z.string().min(1).max(notificationMessageLimit) }).optional() }).optional(),
    webhook: z
      .strictObject({
        url: Valued(OutboundUrl),
        /** The HMAC-SHA256 key of the X-Flotilla-Signature header; without it the post is unsigned. */
        secret: Valued(HmacKey).optional(),
        message: z.strictObject({ text: z.string().min(1).max(notificationMessageLimit) }).optional(),
      })
      .optional(),
  })
  .refine((value) => value.slack !== undefined || value.webhook !== undefined, { error: 'a notification step needs `slack` or `webhook`' });
export type NotificationStepProperties = z.infer<typeof NotificationStepProperties>;

/** The `webhook` step's properties: POST the application context as JSON to `url` (KubeVela's webhook step). */
export const WebhookStepProperties = z.strictObject({
  url: Valued(OutboundUrl),
  /** Flotilla extension: sign the body as a notification's webhook is signed. */
  secret: Valued(HmacKey).optional(),
});
export type WebhookStepProperties = z.infer<typeof WebhookStepProperties>;

/** A `{ value }` or a bare value, as the value itself. */
export function valueOf<T>(valued: T | { value: T }): T {
  return typeof valued === 'object' && valued !== null && 'value' in valued ? valued.value : valued;
}

export const outboundStepTypes = ['notification', 'webhook'] as const;
export type OutboundStepType = (typeof outboundStepTypes)[number];
export const isOutboundStepType = (type: string): type is OutboundStepType => (outboundStepTypes as readonly string[]).includes(type);
