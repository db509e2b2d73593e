import type * as z from 'zod';
import { TriggerList, TriggerView, type CreateTriggerRequest } from '../../contract/trigger-schemas.ts';
import { ApiContractError, ApiRequestError, ApiUnreachableError, type Fetch } from './api-client.ts';
import { errorMessage } from '../../lib/core/errors/error-message.ts';

export type Trigger = z.infer<typeof TriggerView>;
export type TriggerRequest = z.input<typeof CreateTriggerRequest>;

/**
 * The trigger routes for `flotilla trigger add|list|rm`, each answer checked against the schema the API answers
 * with. Errors are the CLI client's own, so they print like every other command's.
 */
export function triggerClient(options: { endpoint: string; token: string | undefined; fetch: Fetch; timeoutMs?: number }) {
  const base = options.endpoint.replace(/\/+$/, '');
  const triggersOf = (namespace: string, name: string) => `/namespaces/${encodeURIComponent(namespace)}/applications/${encodeURIComponent(name)}/triggers`;

  async function request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let status: number;
    let text: string;
    try {
      const response = await options.fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      status = response.status;
      text = await response.text();
    } catch (err) {
      throw new ApiUnreachableError(`cannot reach the Flotilla API at ${base}: ${errorMessage(err)}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status >= 400) {
      const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
      if (typeof error?.code === 'string' && typeof error.message === 'string') {
        throw new ApiRequestError(status, error.code, error.message, Array.isArray(error.details) ? (error.details as { path: string; message: string }[]) : []);
      }
      throw new ApiRequestError(status, `http_${status}`, `${method} ${path} answered HTTP ${status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiContractError(`${base} answered ${method} ${path} with something other than the Flotilla API's answer`);
    return parsed.data;
  }

  return {
    add: (namespace: string, name: string, trigger: TriggerRequest): Promise<Trigger> => request('POST', triggersOf(namespace, name), TriggerView, trigger),
    list: async (namespace: string | undefined, name: string | undefined): Promise<Trigger[]> =>
      (name === undefined
        ? await request('GET', `/triggers${namespace === undefined ? '' : `?namespace=${encodeURIComponent(namespace)}`}`, TriggerList)
        : await request('GET', triggersOf(namespace ?? 'default', name), TriggerList)
      ).triggers,
    remove: (namespace: string, name: string, id: string): Promise<Trigger> => request('DELETE', `${triggersOf(namespace, name)}/${encodeURIComponent(id)}`, TriggerView),
  };
}
