import * as z from 'zod';

/** What a delivery id looks like: GitHub's GUIDs, GitLab's UUIDs, EventBridge event ids, generic senders' own ids. */
export const deliveryIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;


export const DeliveryRecord = z.object({
  triggerId: z.string().min(1),
  deliveryId: z.string().regex(deliveryIdPattern),
  /** `processing` while the revision is being made; a claim that crashed expires after a short hold. */
  state: z.enum(['processing', 'done']),
  /** For `done`: whether the delivery made a revision or found the image already deployed. */
  outcome: z.enum(['deployed', 'unchanged']).optional(),
  revision: z.string().optional(),
  revisionNumber: z.int().positive().optional(),
  image: z.string().optional(),
  receivedAt: z.iso.datetime(),
  /** Epoch seconds: DynamoDB's TTL removes the item some time after; until then reads treat it as gone. */
  ttl: z.int().positive(),
});

export type DeliveryRecord = z.infer<typeof DeliveryRecord>;


export type Claim = { claimed: true } | { claimed: false; existing: DeliveryRecord };
