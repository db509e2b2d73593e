import {
  ApiException,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  type KubeConfig,
  type V1APIResourceList,
  type KubernetesObject as ClientObject,
} from '@kubernetes/client-node';
import { Agent, type Dispatcher } from 'undici';
import { RawApi } from './raw-api.ts';
import type { EndpointPolicy } from '../../core/cluster/endpoint-policy.ts';
import { ClusterError } from '../../engine/ports/cluster-error.ts';
import { checkedLookup, checkLiteralEndpoint } from './endpoint-lookup.ts';
import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { describeObject } from '../../core/object/kubernetes-object.ts';
import { toClusterError } from './cluster-error.ts';
import { fieldManager } from './field-manager.ts';
import { type ClusterClient } from '../../engine/ports/cluster-client.ts';
import { recordBudgetSignal } from '../sqs/record-budget.ts';
import { kindKey, type DiscoveredScope, type KindRef } from '../../core/object/kind-scopes.ts';

/** A CRD installed or removed shows in discovery answers within this long. */
const discoveryTtlMs = 30_000;
/** Group versions one discovery call reads at most; kinds of further versions are answered absent. */
const maxDiscoveredVersions = 50;

/** Kind -> namespaced, for one group version; `absent` when the cluster does not serve the version. */
type ResourceScopes = ReadonlyMap<string, boolean> | 'absent';

/**
 * client-node builds a new undici Agent for every request, so every call would pay a TCP and TLS handshake. One
 * keep-alive pool per cluster, built from the same TLS material, replaces it after authentication has set the headers.
 */
function pooledDispatcher(kubeConfig: KubeConfig, policy: EndpointPolicy): Dispatcher {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  const decode = (data: string | undefined) => (data ? Buffer.from(data, 'base64') : undefined);
  const tls = {
    ca: decode(cluster?.caData),
    cert: decode(user?.certData),
    key: decode(user?.keyData),
    ...(cluster?.skipTLSVerify ? { rejectUnauthorized: false } : {}),
    ...(cluster?.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };
  const options = kubeConfig.createDispatcherOptions(cluster, tls);
  // proxy-url is refused at join, so client-node always offers a plain agent; anything else would escape the policy.
  if (options.type !== 'agent') throw new Error('cluster connections go to the endpoint directly, not through a proxy');
  // The socket connects to the address checkedLookup approved; TLS verifies the endpoint's name as before.
  return new Agent({ connect: { ...options.connect, lookup: checkedLookup(policy) }, keepAliveTimeout: 30_000 }).compose(refuseRedirects);
}

/**
 * client-node calls undici's fetch, which follows redirects, and a redirect's target (an IP literal, say) would skip
 * the checked lookup. Every 3xx ends the request instead, before fetch sees it.
 */
const refuseRedirects: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
  dispatch(opts, {
    ...bound(handler),
    onResponseStart: (controller, statusCode, headers, statusMessage) => {
      if (statusCode >= 300 && statusCode < 400) {
        controller.abort(new ClusterError(`a redirect (HTTP ${statusCode}), which Flotilla does not follow`, { retryable: false, status: statusCode }));
        return;
      }
      handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
    },
  });

function bound(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  return {
    onRequestStart: handler.onRequestStart?.bind(handler),
    onRequestUpgrade: handler.onRequestUpgrade?.bind(handler),
    onResponseData: handler.onResponseData?.bind(handler),
    onResponseEnd: handler.onResponseEnd?.bind(handler),
    onResponseError: handler.onResponseError?.bind(handler),
  };
}

export interface ConnectOptions {
  /** Per request; a dead cluster must fail fast rather than hold up its queue. */
  timeoutMs?: number;
  /**
   * Where connections may go (CLUSTER_ENDPOINT_ALLOW_LOOPBACK, CLUSTER_ENDPOINT_ALLOW). Required: a default would be
   * either too loose for AWS or too strict for local clusters, and a forgotten argument must not pick one silently.
   */
  policy: EndpointPolicy;
}

/**
 * Wraps one KubeConfig. Keep one per cluster for the life of the process: the object API caches its discovery of
 * kind -> resource per instance.
 */
export function connectCluster(kubeConfig: KubeConfig, opts: ConnectOptions): ClusterClient {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const { policy } = opts;
  const connections = pooledDispatcher(kubeConfig, policy);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: async (context) => {
          // The SQS record's budget, when shorter, ends the request too: a stalled cluster holds its record that long only.
          const budget = recordBudgetSignal();
          context.setSignal(budget ? AbortSignal.any([AbortSignal.timeout(timeoutMs), budget]) : AbortSignal.timeout(timeoutMs));
          context.setDispatcher(connections);
          return context;
        },
        post: async (context) => context,
      },
    ],
  });
  const objects = new KubernetesObjectApi(configuration);
  const versions = new VersionApi(configuration);
  const raw = new RawApi(configuration);
  const discovered = new Map<string, { at: number; scopes: Promise<ResourceScopes> }>();

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      checkLiteralEndpoint(policy, server);
      return await fn();
    } catch (err) {
      throw toClusterError(err, what);
    }
  };
  const isNotFound = (err: unknown) => err instanceof ApiException && err.code === 404;

  const readResources = async (apiVersion: string): Promise<ResourceScopes> => {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/', 2) as [string, string]) : ['', apiVersion];
    if (group === '' && version !== 'v1') return 'absent';
    let list: V1APIResourceList;
    try {
      list = await raw.apiResources(group === '' ? version : `${group}/${version}`);
    } catch (err) {
      if (isNotFound(err)) return 'absent';
      throw err;
    }
    // Subresources (`deployments/scale`) share their kind's name with a slash; only top-level resources count.
    return new Map(list.resources.filter((resource) => !resource.name.includes('/')).map((resource) => [resource.kind, resource.namespaced]));
  };
  const resourcesOf = (apiVersion: string): Promise<ResourceScopes> => {
    const cached = discovered.get(apiVersion);
    if (cached && Date.now() - cached.at < discoveryTtlMs) return cached.scopes;
    const scopes = readResources(apiVersion);
    discovered.set(apiVersion, { at: Date.now(), scopes });
    scopes.catch(() => {
      if (discovered.get(apiVersion)?.scopes === scopes) discovered.delete(apiVersion);
    });
    return scopes;
  };

  return {
    apply: (object) =>
      call(`apply ${describeObject(object)}`, async () => {
        const live = await objects.patch(object as ClientObject, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
        return live as KubernetesObject;
      }),
    read: (ref) =>
      call(`read ${describeObject(ref as KubernetesObject)}`, async () => {
        try {
          return (await objects.read(ref as never, undefined, undefined, undefined)) as KubernetesObject;
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      }),
    delete: (ref, precondition) =>
      call(`delete ${describeObject(ref as KubernetesObject)}`, async () => {
        try {
          const body = precondition ? { preconditions: { resourceVersion: precondition.resourceVersion } } : undefined;
          await objects.delete(ref as ClientObject, undefined, undefined, undefined, undefined, 'Background', body);
          return 'deleted' as const;
        } catch (err) {
          if (isNotFound(err)) return 'absent' as const;
          throw err;
        }
      }),
    ensureNamespace: async (name, labels) => {
      await call(`create namespace ${name}`, () =>
        objects.patch(
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } },
          undefined,
          undefined,
          fieldManager,
          true,
          PatchStrategy.ServerSideApply,
        ),
      );
    },
    serverVersion: () => call('read server version', async () => (await versions.getCode()).gitVersion),
    kindScopes: (kinds: readonly KindRef[]) =>
      call('read API discovery', async () => {
        const apiVersions = [...new Set(kinds.map((kind) => kind.apiVersion))].slice(0, maxDiscoveredVersions);
        const lists = new Map(await Promise.all(apiVersions.map(async (apiVersion) => [apiVersion, await resourcesOf(apiVersion)] as const)));
        const answers: Record<string, DiscoveredScope> = {};
        for (const ref of kinds) {
          const scopes = lists.get(ref.apiVersion) ?? 'absent';
          const namespaced = scopes === 'absent' ? undefined : scopes.get(ref.kind);
          answers[kindKey(ref)] = namespaced === undefined ? 'absent' : namespaced ? 'namespaced' : 'cluster';
        }
        return answers;
      }),
    dryRunApply: (object) =>
      call(`dry-run apply ${describeObject(object)}`, async () => {
        const result = await objects.patch(object as ClientObject, undefined, 'All', fieldManager, true, PatchStrategy.ServerSideApply);
        return result as KubernetesObject;
      }),
    list: (apiVersion, kind, namespace, options = {}) =>
      call(`list ${kind} in ${namespace}`, async () => {
        const list = await objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, options.labelSelector, options.limit);
        return list.items.map((item) => ({ ...item, apiVersion, kind }) as KubernetesObject);
      }),
    podLog: (namespace, pod, container, options) =>
      call(`read the log of ${namespace}/${pod} container ${container}`, () =>
        raw.text(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`, {
          container,
          tailLines: options.tailLines,
          limitBytes: options.limitBytes,
          sinceSeconds: options.sinceSeconds,
        }),
      ),
  };
}
