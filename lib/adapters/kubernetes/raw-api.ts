import { ApiException, HttpMethod, KubernetesObjectApi, type RequestContext, type V1APIResourceList } from '@kubernetes/client-node';

/**
 * The few reads the applier needs beyond objects (API discovery, pod logs), made through the object API's own
 * configuration: the same server, credentials, endpoint-checked dispatcher and per-request signal. client-node's
 * generated CoreV1Api and CustomObjectsApi would do the same in one call each, but they bring every core model's
 * serialiser into the applier's bundle (about 650 KiB, `npm run bench:bundle-size`).
 */
export class RawApi extends KubernetesObjectApi {
  /** `/api/v1` or `/apis/<group>/<version>`: the resources the version serves; 404 when it is not served. */
  async apiResources(apiVersion: string): Promise<V1APIResourceList> {
    const context = this.configuration.baseServer.makeRequestContext(this.apiVersionPath(apiVersion), HttpMethod.GET);
    context.setHeaderParam('Accept', 'application/json');
    return (await this.requestPromise(context as never, 'V1APIResourceList')) as unknown as V1APIResourceList;
  }

  /** A GET answered with text (a container's log), with query parameters. */
  async text(path: string, query: Readonly<Record<string, string | number | undefined>>): Promise<string> {
    let context: RequestContext = this.configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) context.setQueryParam(name, String(value));
    context.setHeaderParam('Accept', 'text/plain, */*');
    await this.configuration.authMethods.default?.applySecurityAuthentication(context);
    for (const middleware of this.configuration.middleware) context = await middleware.pre(context).toPromise();
    let response = await this.configuration.httpApi.send(context).toPromise();
    for (const middleware of this.configuration.middleware) response = await middleware.post(response).toPromise();
    const body = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', body, response.headers);
    return body;
  }
}
