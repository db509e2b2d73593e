// Serves a Lambda handler over plain HTTP by translating each request into an API Gateway HTTP API (payload 2.0) event,
// the way the deployed HttpApi invokes the API function, and the handler's result back into a response.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lambdaContext } from './lambda-context.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** API Gateway refuses payloads over 10 MB before the function runs; so does the local gateway. */
const gatewayPayloadLimit = 10 * 1024 * 1024;
const textTypes = /^(text\/|application\/(json|yaml|x-yaml|xml|x-www-form-urlencoded|problem\+json))/;

export interface HttpGateway {
  url: string;
  /** Stops accepting connections and resolves once every accepted request has been answered. */
  close(): Promise<void>;
}

/** A GET answered by the local runtime itself, before the API sees it (GET /metrics); there is none on AWS. */
export type LocalRoute = () => { contentType: string; body: string };

export async function serveHttpApi(
  handler: HttpApiHandler,
  opts: { port: number; host?: string; functionName?: string; timeoutMs?: number; localRoutes?: Readonly<Record<string, LocalRoute>> },
): Promise<HttpGateway> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void respond(req, res);
  });
  let inFlight = 0;
  let drained: (() => void) | undefined;

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++;
    try {
      const local = req.method === 'GET' ? opts.localRoutes?.[new URL(req.url ?? '/', 'http://localhost').pathname] : undefined;
      if (local !== undefined) {
        const answer = local();
        return send(res, { statusCode: 200, headers: { 'content-type': answer.contentType }, body: answer.body });
      }
      const body = await readBody(req);
      if (body === undefined) return send(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
      const event = toEvent(req, body);
      const result = await handler(event, lambdaContext(opts.functionName ?? 'api', opts.timeoutMs ?? 30_000));
      send(res, result);
    } catch (err) {
      // What API Gateway answers when the integration fails; the handler itself maps its errors.
      console.error(`[http] ${req.method} ${req.url}: handler failed: ${errorMessage(err)}`);
      send(res, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > gatewayPayloadLimit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || textTypes.test(contentType);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: req.headers.cookie?.split(';').map((c) => c.trim()),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** API Gateway's payload 2.0 response rules: a structured result is used as is, anything else becomes 200 JSON. */
function send(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
}
