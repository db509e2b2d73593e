import type { ApiRequest } from './api-request.ts';

/** The absolute URL of an application's status route, as answers to submit, delete and workflow operations give it. */
export function statusUrl(request: ApiRequest, namespace: string, name: string): string {
  return `${request.baseUrl}/namespaces/${encodeURIComponent(namespace)}/applications/${encodeURIComponent(name)}/status`;
}
