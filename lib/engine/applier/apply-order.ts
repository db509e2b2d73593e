import type { ApplierMessage } from '../messages/applier-message.ts';
import type { Engine } from '../context.ts';
import { dispatchTarget } from './dispatch-target.ts';
import { refreshTarget } from './refresh-target.ts';
import { removeResources } from '../keeper/remove-resources.ts';
import { recordDiscovery } from '../clusters/kind-discovery.ts';
import { runQuery } from './run-query.ts';
import { deliverOutbound } from './deliver-outbound.ts';

/** The applier function's work for one message; throws RetryLater for failures that should pass. */
export async function applyOrder(engine: Engine, message: ApplierMessage, receiveCount: number): Promise<string> {
  if (message.kind === 'remove') {
    const outcome = await removeResources(engine, message, receiveCount);
    const kept = 'kept' in outcome && outcome.kept.length > 0 ? `; ${outcome.kept.join('; ')}` : '';
    return `${message.cluster}: ${outcome.result}${'deleted' in outcome ? ` ${outcome.deleted} objects` : ''}${kept}`;
  }
  if (message.kind === 'refresh') return refreshTarget(engine, message);
  if (message.kind === 'query') return runQuery(engine, message);
  if (message.kind === 'deliver') return deliverOutbound(engine, message);
  if (message.kind === 'probe') {
    await engine.probeCluster(message.cluster);
    return `${message.cluster}: probed`;
  }
  if (message.kind === 'discover') {
    const recorded = await recordDiscovery(engine, message.cluster, message.kinds);
    return `${message.cluster}: discovered ${recorded} kinds`;
  }
  const outcome = await dispatchTarget(engine, message, receiveCount);
  const where = `${message.cluster}/${message.namespace}`;
  return outcome.result === 'dropped' ? `${where}: dropped (${outcome.reason})` : `${where}: ${outcome.result} ${outcome.message}`.trim();
}
