import middy from '@middy/core';
import * as z from 'zod';
import { scheduleRefresh } from '../lib/engine/planner/schedule-refresh.ts';
import { engineWith, noClusterAccess } from './runtime.ts';
import { log } from '../lib/adapters/telemetry/log.ts';

const engine = engineWith(noClusterAccess);

/** The input the two EventBridge schedules pass: health refresh, or drift correction (refresh after re-applying). */
const ScheduledTask = z.object({ task: z.enum(['refresh', 'drift']) });

/** Refresh: keeps health current on a schedule, so `status` reads today's health rather than the deploy's. */
export const handler = middy<unknown, { orders: number }>().handler(async (event) => {
  const { task } = ScheduledTask.parse(event);
  const orders = await scheduleRefresh(engine, { reapply: task === 'drift' });
  log('info', `${task}: ${orders} refresh orders sent`, { fn: 'refresh' });
  return { orders };
});
