import { TargetPayload } from '../../core/run/target.ts';
import type { Engine } from '../context.ts';

export type InlinePayload = Extract<TargetPayload, { where: 'inline' }>;

/** The objects and components of a target, from the message or from the store when they were too large to send. */
export async function resolvePayload(engine: Pick<Engine, 'store'>, payload: TargetPayload): Promise<InlinePayload> {
  if (payload.where === 'inline') return payload;
  const stored = TargetPayload.parse(await engine.store.payloads.get(payload.key));
  if (stored.where !== 'inline') throw new Error(`stored payload ${payload.key} points at another stored payload`);
  return stored;
}
