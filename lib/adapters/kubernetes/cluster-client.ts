import {
  ApiException,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject as ClientObject,
} from '@kubernetes/client-node';
import { Agent, type Dispatcher } from 'undici';
import type { KubernetesObject } from '../../core/object/kubernetes-object.ts';
import { describeObject } from '../../core/object/kubernetes-object.ts';
import { toClusterError } from './cluster-error.ts';
import { fieldManager } from './field-manager.ts';
import { type ClusterClient } from '../../engine/ports/cluster-client.ts';
import { recordBudgetSignal } from '../sqs/record-budget.ts';

/**
 * client-node builds a new undici Agent for every request, so every call would pay a TCP and TLS handshake. One
 * keep-alive pool per cluster, built from the same TLS material, replaces it after authentication has set the headers.
 */
function pooledDispatcher(kubeConfig: KubeConfig): Dispatcher | undefined {
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
  return options.type === 'agent' ? new Agent({ connect: options.connect, keepAliveTimeout: 30_000 }) : undefined;
}

export interface ConnectOptions {
  /** Per request; a dead cluster must fail fast rather than hold up its queue. */
  timeoutMs?: number;
}

/**
 * Wraps one KubeConfig. Keep one per cluster for the life of the process: the object API caches its discovery of
 * kind -> resource per instance.
 */
export function connectCluster(kubeConfig: KubeConfig, opts: ConnectOptions = {}): ClusterClient {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const connections = pooledDispatcher(kubeConfig);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: async (context) => {
          // The SQS record's budget, when shorter, ends the request too: a stalled cluster holds its record that long only.
          const budget = recordBudgetSignal();
          context.setSignal(budget ? AbortSignal.any([AbortSignal.timeout(timeoutMs), budget]) : AbortSignal.timeout(timeoutMs));
          if (connections) context.setDispatcher(connections);
          return context;
        },
        post: async (context) => context,
      },
    ],
  });
  const objects = new KubernetesObjectApi(configuration);
  const versions = new VersionApi(configuration);

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toClusterError(err, what);
    }
  };
  const isNotFound = (err: unknown) => err instanceof ApiException && err.code === 404;

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
  };
}
