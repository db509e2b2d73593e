import * as z from 'zod';
import { ApplicationDetail, ApplicationList, DeleteApplicationResult, OrphanList, RevisionDetail, RevisionList, SubmitApplicationResult } from '../../contract/application-schemas.ts';
import {
  ClusterChangeView,
  ClusterList,
  ClusterView,
  DetachClusterResult,
  JoinClusterResult,
  type JoinClusterRequest,
} from '../../contract/cluster-schemas.ts';
import { HealthStatus } from '../../contract/system-schemas.ts';
import { CreatedToken, TokenList, TokenView, type CreateTokenRequest } from '../../contract/token-schemas.ts';
import { CreateTriggerRequest, TriggerList, TriggerView } from '../../contract/trigger-schemas.ts';
import { WorkflowOperationAccepted } from '../../contract/workflow-schemas.ts';
import { NotificationTargetView, type SetNotificationTargetRequest } from '../../contract/notification-schemas.ts';
import { ApplicationTree, DiffResult, EndpointsResult, LogsResult, QueryView } from '../../contract/query-schemas.ts';
import { ApplicationStatus } from '../../lib/core/status/application-status.ts';
import { formatDuration } from '../durations.ts';

/** The part of `fetch` the client uses; tests hand in their own. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:8080` or an API Gateway stage URL. */
  endpoint: string;
  token: string | undefined;
  fetch: Fetch;
  /** Per request; cluster joins probe the member cluster, so this is generous. */
  timeoutMs?: number;
}

/** The API answered with an error: its `{error: {code, message, details}}`, or the gateway's own `{message}`. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { path: string; message: string }[];
  /** What the command suggests doing about it, in CLI terms. */
  hint: string | undefined;

  constructor(status: number, code: string, message: string, details: { path: string; message: string }[] = []) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Rethrows `err` with a CLI hint attached when it is the API error `code`. */
export function hintFor(code: string, hint: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof ApiRequestError && err.code === code) err.hint = hint;
    throw err;
  };
}

/** No answer at all: refused connection, DNS, TLS, timeout. Worth retrying while waiting. */
export class ApiUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiUnreachableError';
  }
}

/** A successful answer that is not what this API answers: another service at the endpoint, or an API of another version. */
export class ApiContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiContractError';
  }
}

export type WorkflowOperation = 'suspend' | 'resume' | 'terminate' | 'restart' | 'rollback';
export type JoinRequest = z.input<typeof JoinClusterRequest>;
export type Trigger = z.infer<typeof TriggerView>;
export type TriggerRequest = z.input<typeof CreateTriggerRequest>;
export type Token = z.infer<typeof TokenView>;
export type TokenRequest = z.input<typeof CreateTokenRequest>;

const ErrorAnswer = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
  }),
});
const GatewayAnswer = z.object({ message: z.string() });

interface CallOptions<S extends z.ZodType> {
  schema: S;
  query?: Record<string, string | undefined>;
  body?: { contentType: string; text: string };
}

/** The Flotilla HTTP API (docs/api.md), each answer checked against the schema the API itself answers with. */
export function apiClient(options: ApiClientOptions) {
  const base = options.endpoint.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function call<S extends z.ZodType>(method: string, path: string, options: CallOptions<S>): Promise<z.output<S>> {
    return (await answered(method, path, options)).data;
  }

  /** The answer with its HTTP status, for routes whose 200 and 202 mean different things. */
  async function answered<S extends z.ZodType>(method: string, path: string, { schema, query, body }: CallOptions<S>): Promise<{ status: number; data: z.output<S> }> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, value);
    const url = `${base}${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = body.contentType;
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, { method, headers, body: body?.text, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (err) {
      throw unreachable(base, err, timeoutMs);
    }
    const json = parseJson(text);
    if (!response.ok) throw errorOf(response.status, json, `${method} ${path}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiContractError(
        `${base} answered ${method} ${path} with something other than the Flotilla API's answer (is the endpoint right, and the CLI as new as the API?):\n${z.prettifyError(parsed.error)}`,
      );
    }
    return { status: response.status, data: parsed.data };
  }

  const json = (value: unknown) => ({ contentType: 'application/json', text: JSON.stringify(value) });
  const cluster = (name: string) => `/clusters/${encodeURIComponent(name)}`;
  const application = (namespace: string, name: string) => `/namespaces/${encodeURIComponent(namespace)}/applications/${encodeURIComponent(name)}`;
  const triggers = (namespace: string, name: string) => `${application(namespace, name)}/triggers`;

  return {
    endpoint: base,
    health: () => call('GET', '/healthz', { schema: HealthStatus }),
    joinCluster: (request: JoinRequest) => call('POST', '/clusters', { schema: JoinClusterResult, body: json(request) }),
    listClusters: async () => (await call('GET', '/clusters', { schema: ClusterList })).clusters,
    getCluster: (name: string) => call('GET', cluster(name), { schema: ClusterView }),
    addLabels: (name: string, labels: Record<string, string>) => call('POST', `${cluster(name)}/labels`, { schema: ClusterChangeView, body: json({ labels }) }),
    removeLabels: (name: string, keys: readonly string[]) => call('DELETE', `${cluster(name)}/labels`, { schema: ClusterChangeView, query: { keys: keys.join(',') } }),
    setCreatableNamespaces: (name: string, creatableNamespaces: readonly string[] | null) =>
      call('POST', `${cluster(name)}/namespaces`, { schema: ClusterView, body: json({ creatableNamespaces }) }),
    renameCluster: (name: string, newName: string) => call('POST', `${cluster(name)}/rename`, { schema: ClusterView, body: json({ newName }) }),
    /** `finished: false` (HTTP 202): the applier had not reported within the API's wait; the record is as it was. */
    probeCluster: async (name: string) => {
      const { status, data } = await answered('POST', `${cluster(name)}/probe`, { schema: ClusterView });
      return { cluster: data, finished: status !== 202 };
    },
    detachCluster: (name: string, force: boolean) =>
      call('DELETE', cluster(name), { schema: DetachClusterResult, query: { force: force ? 'true' : undefined } }),
    submitApplication: (document: { contentType: string; text: string }) => call('POST', '/applications', { schema: SubmitApplicationResult, body: document }),
    listApplications: async (namespace: string | undefined) =>
      (await call('GET', '/applications', { schema: ApplicationList, query: { namespace } })).applications,
    getApplication: (namespace: string, name: string) => call('GET', application(namespace, name), { schema: ApplicationDetail }),
    listRevisions: async (namespace: string, name: string) => (await call('GET', `${application(namespace, name)}/revisions`, { schema: RevisionList })).revisions,
    getRevision: (namespace: string, name: string, revision: string) =>
      call('GET', `${application(namespace, name)}/revisions/${encodeURIComponent(revision)}`, { schema: RevisionDetail }),
    runRevision: (namespace: string, name: string, revision: string) =>
      call('POST', `${application(namespace, name)}/revisions/${encodeURIComponent(revision)}/run`, { schema: WorkflowOperationAccepted }),
    deleteApplication: (namespace: string, name: string, force: boolean) =>
      call('DELETE', application(namespace, name), { schema: DeleteApplicationResult, query: { force: force ? 'true' : undefined } }),
    orphans: async (namespace: string, name: string) => (await call('GET', `${application(namespace, name)}/orphans`, { schema: OrphanList })).orphans,
    status: (namespace: string, name: string, svc?: string) =>
      call('GET', `${application(namespace, name)}/status`, { schema: ApplicationStatus, query: { svc } }),
    /** The diff against the current revision; with `live`, the cluster's dry run too (`live.done` false: poll it). */
    diff: (document: { contentType: string; text: string }, live: boolean) =>
      call('POST', '/applications/diff', { schema: DiffResult, body: document, query: { live: live ? 'true' : undefined } }),
    tree: (namespace: string, name: string) => call('GET', `${application(namespace, name)}/tree`, { schema: ApplicationTree }),
    endpoints: (namespace: string, name: string) => call('GET', `${application(namespace, name)}/endpoints`, { schema: EndpointsResult }),
    logs: (namespace: string, name: string, options: { cluster?: string; component?: string; tail?: number; since?: string }) =>
      call('GET', `${application(namespace, name)}/logs`, {
        schema: LogsResult,
        query: { cluster: options.cluster, component: options.component, tail: options.tail?.toString(), since: options.since },
      }),
    /** A cluster query as it stands (the poll URL of diff --live, endpoints and logs). */
    query: (namespace: string, id: string) => call('GET', `/namespaces/${encodeURIComponent(namespace)}/queries/${encodeURIComponent(id)}`, { schema: QueryView }),
    workflow: (namespace: string, name: string, operation: WorkflowOperation) =>
      call('POST', `${application(namespace, name)}/workflow/${operation}`, { schema: WorkflowOperationAccepted }),
    addTrigger: (namespace: string, name: string, trigger: TriggerRequest): Promise<Trigger> =>
      call('POST', triggers(namespace, name), { schema: TriggerView, body: json(trigger) }),
    /** One application's triggers, or (without a name) every trigger the token may read, in one namespace if given. */
    listTriggers: async (namespace: string | undefined, name: string | undefined): Promise<Trigger[]> =>
      (name === undefined
        ? await call('GET', '/triggers', { schema: TriggerList, query: { namespace } })
        : await call('GET', triggers(namespace ?? 'default', name), { schema: TriggerList })
      ).triggers,
    removeTrigger: (namespace: string, name: string, id: string): Promise<Trigger> =>
      call('DELETE', `${triggers(namespace, name)}/${encodeURIComponent(id)}`, { schema: TriggerView }),
    setNotificationTarget: (namespace: string, name: string, target: SetNotificationTargetRequest) =>
      call('POST', `${application(namespace, name)}/notification`, { schema: NotificationTargetView, body: json(target) }),
    notificationTarget: (namespace: string, name: string) => call('GET', `${application(namespace, name)}/notification`, { schema: NotificationTargetView }),
    removeNotificationTarget: (namespace: string, name: string) => call('DELETE', `${application(namespace, name)}/notification`, { schema: NotificationTargetView }),
    /** The answer holds the bearer token itself, this once. */
    createToken: (request: TokenRequest) => call('POST', '/tokens', { schema: CreatedToken, body: json(request) }),
    listTokens: async (): Promise<Token[]> => (await call('GET', '/tokens', { schema: TokenList })).tokens,
    revokeToken: (id: string): Promise<Token> => call('DELETE', `/tokens/${encodeURIComponent(id)}`, { schema: TokenView }),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorOf(status: number, json: unknown, request: string): Error {
  const answer = ErrorAnswer.safeParse(json);
  if (answer.success) return new ApiRequestError(status, answer.data.error.code, answer.data.error.message, answer.data.error.details);
  const gateway = GatewayAnswer.safeParse(json);
  const message = gateway.success ? gateway.data.message : `${request} answered HTTP ${status}`;
  return new ApiRequestError(status, `http_${status}`, message);
}

function unreachable(base: string, err: unknown, timeoutMs: number): ApiUnreachableError {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new ApiUnreachableError(`no answer from the Flotilla API at ${base} within ${formatDuration(timeoutMs)}`, { cause: err });
  }
  // undici reports `fetch failed` and keeps the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in the cause.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const reason = cause instanceof Error ? (('code' in cause && typeof cause.code === 'string' ? cause.code : undefined) ?? cause.message) : String(cause);
  return new ApiUnreachableError(`cannot reach the Flotilla API at ${base}: ${reason}`, { cause: err });
}
