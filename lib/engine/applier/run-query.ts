import type { Engine } from '../context.ts';
import type { ApplierMessage } from '../messages/applier-message.ts';
import type { ClusterClient } from '../ports/cluster-client.ts';
import { ClusterError } from '../ports/cluster-error.ts';
import { endpointOf } from '../../core/query/endpoints.ts';
import { changeOf, identity } from '../../core/query/revision-diff.ts';
import { queryLimits } from '../../core/query/query-limits.ts';
import type { ContainerLog, LiveObjectDiff, QueryAnswer, QueryPart, QueryRequest } from '../../core/query/cluster-query.ts';
import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { errorMessage } from '../../core/errors/error-message.ts';

type QueryOrder = Extract<ApplierMessage, { kind: 'query' }>;

/** Ends a part's work when its time budget is spent; what was read by then is the answer. */
class Budget {
  readonly #deadline: number;
  constructor(ms: number) {
    this.#deadline = Date.now() + ms;
  }
  get spent(): boolean {
    return Date.now() >= this.#deadline;
  }
}

/**
 * The applier's side of a cluster query: runs one part with the cluster's stored credentials (only the applier may
 * open them) and stores the answer, bounded in time (partBudgetMs) and size (maxAnswerBytes). Only reads and dry runs
 * reach the cluster. A part that is gone (expired) or answered already is left alone.
 */
export async function runQuery(engine: Engine, order: QueryOrder): Promise<string> {
  const part = await engine.store.queries.get(order.queryId, order.index, engine.now());
  if (part === undefined) return `dropped: query ${order.queryId} is gone`;
  if (part.state !== 'pending') return `dropped: query ${order.queryId} part ${order.index} is ${part.state}`;
  const where = `${part.cluster}/${part.targetNamespace}`;
  let answered: QueryPart;
  try {
    const client = await engine.clusterClient(part.cluster);
    const budget = new Budget(queryLimits.partBudgetMs);
    const { answer, message } = await answerOf(client, part, part.request, budget);
    answered = capped({ ...part, state: 'done', answer, ...(message === undefined ? {} : { message }), answeredAt: engine.now().toISOString() });
  } catch (err) {
    // The caller is waiting: a failure is its answer, never a redelivery (an unknown cluster, a refused read...).
    answered = { ...part, state: 'failed', message: errorMessage(err), answeredAt: engine.now().toISOString() };
  }
  await engine.store.queries.answer(answered);
  return `${where}: ${part.request.kind} ${answered.state}${answered.message ? ` (${answered.message})` : ''}`;
}

interface Answered {
  answer: QueryAnswer;
  /** What was left out, when the budget ran out. */
  message?: string;
}

async function answerOf(client: ClusterClient, part: QueryPart, request: QueryRequest, budget: Budget): Promise<Answered> {
  switch (request.kind) {
    case 'live-diff':
      return liveDiff(client, request.objects, budget);
    case 'endpoints': {
      const endpoints = [];
      for (const ref of request.objects) {
        if (budget.spent) return { answer: { kind: 'endpoints', endpoints }, message: 'the time budget ran out before every object was read' };
        const live = await client.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace ?? part.targetNamespace } });
        const endpoint = live === undefined ? undefined : endpointOf(live);
        if (endpoint !== undefined) endpoints.push(endpoint);
      }
      return { answer: { kind: 'endpoints', endpoints } };
    }
    case 'logs':
      return podLogs(client, part.targetNamespace, request, budget);
  }
}

async function liveDiff(client: ClusterClient, objects: readonly KubernetesObject[], budget: Budget): Promise<Answered> {
  const diffs: LiveObjectDiff[] = [];
  for (const object of objects) {
    if (budget.spent) {
      diffs.push({ ...identity(object), change: 'unknown', error: 'not dry-run: the time budget ran out' });
      continue;
    }
    try {
      const live = await client.read(object);
      const wouldBe = await client.dryRunApply(object);
      diffs.push(live === undefined ? { ...identity(object), change: 'added' } : changeOf(live, wouldBe));
    } catch (err) {
      if (!(err instanceof ClusterError) || err.retryable) throw err;
      // A refused object (invalid, or its namespace does not exist yet) says why; the others are still dry-run.
      diffs.push({ ...identity(object), change: 'unknown', error: err.message });
    }
  }
  return { answer: { kind: 'live-diff', objects: diffs } };
}

interface PodSpec {
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
}

async function podLogs(client: ClusterClient, namespace: string, request: Extract<QueryRequest, { kind: 'logs' }>, budget: Budget): Promise<Answered> {
  const pods: { component: string; pod: KubernetesObject }[] = [];
  for (const selection of request.pods) {
    if (selection.podName !== undefined) {
      const pod = await client.read({ apiVersion: 'v1', kind: 'Pod', metadata: { name: selection.podName, namespace } });
      if (pod !== undefined) pods.push({ component: selection.component, pod });
      continue;
    }
    const selector = Object.entries(selection.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(',');
    const found = await client.list('v1', 'Pod', namespace, { labelSelector: selector, limit: queryLimits.maxPodsPerPart + 1 });
    for (const pod of found) pods.push({ component: selection.component, pod });
  }
  const read = pods.slice(0, queryLimits.maxPodsPerPart);
  const logs: ContainerLog[] = [];
  let message: string | undefined;
  for (const { component, pod } of read) {
    const spec = (pod as PodSpec).spec;
    for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      const entry = { component, pod: pod.metadata.name, container: container.name };
      if (budget.spent) {
        message = 'the time budget ran out before every container was read';
        logs.push({ ...entry, text: '', error: 'not read: the time budget ran out' });
        continue;
      }
      try {
        const text = await client.podLog(namespace, pod.metadata.name, container.name, {
          tailLines: request.tailLines,
          limitBytes: queryLimits.maxLogBytesPerContainer,
          ...(request.sinceSeconds === undefined ? {} : { sinceSeconds: request.sinceSeconds }),
        });
        logs.push({ ...entry, text });
      } catch (err) {
        if (!(err instanceof ClusterError) || err.retryable) throw err;
        logs.push({ ...entry, text: '', error: errorMessage(err) });
      }
    }
  }
  return { answer: { kind: 'logs', logs, skippedPods: pods.length - read.length }, ...(message === undefined ? {} : { message }) };
}

/** Keeps the stored answer under maxAnswerBytes: log text is cut from the front (the newest lines stay), diffs lose their fields. */
function capped(part: QueryPart): QueryPart {
  const size = () => Buffer.byteLength(JSON.stringify(part));
  if (size() <= queryLimits.maxAnswerBytes || part.answer === undefined) return part;
  const answer = part.answer;
  const note = `the answer was cut to ${queryLimits.maxAnswerBytes} bytes`;
  if (answer.kind === 'logs') {
    const share = Math.floor(queryLimits.maxAnswerBytes / Math.max(1, answer.logs.length) / 2);
    const logs = answer.logs.map((log) => (log.text.length > share ? { ...log, text: log.text.slice(log.text.length - share) } : log));
    return { ...part, answer: { ...answer, logs }, message: note };
  }
  if (answer.kind === 'live-diff') {
    const objects = answer.objects.map(({ fields, ...rest }) => (fields === undefined ? rest : { ...rest, moreFields: (rest.moreFields ?? 0) + fields.length }));
    return { ...part, answer: { ...answer, objects }, message: note };
  }
  return { ...part, answer: { ...answer, endpoints: answer.endpoints.slice(0, 100) }, message: note };
}
