import middy from '@middy/core';
import * as z from 'zod';
import { scheduleRefresh } from '../lib/engine/planner/schedule-refresh.ts';
import { engineWith, noClusterAccess, observe, queues } from './runtime.ts';

const { telemetry, middleware } = observe('refresh');
const engine = engineWith(noClusterAccess, telemetry);

/**
 * The input the EventBridge schedules pass: health refresh, drift correction (refresh after re-applying), or the
 * sweep that picks up whatever a lost message left waiting (`recover`: the queues themselves were lost, at a local
 * start). The sweep writes, so it is the planner's: this function only asks for it.
 */
const ScheduledTask = z.object({ task: z.enum(['refresh', 'drift', 'sweep', 'recover']) });

/** Refresh: keeps health current on a schedule, so `status` reads today's health rather than the deploy's. */
export const handler = middy<unknown, { orders: number }>()
  .use(middleware)
  .handler(async (event) => {
    const { task } = ScheduledTask.parse(event);
    if (task === 'sweep' || task === 'recover') {
      await queues.toPlanner([{ kind: 'sweep', recover: task === 'recover' }]);
      telemetry.log('info', `${task}: asked the planner`, { task });
      return { orders: 1 };
    }
    const orders = await scheduleRefresh(engine, { reapply: task === 'drift' });
    telemetry.log('info', `${task}: ${orders} refresh orders sent`, { task, orders });
    return { orders };
  });
