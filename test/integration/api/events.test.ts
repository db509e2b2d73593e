// The sample API Gateway HTTP API (payload 2.0) events in events/api, handed to the API function as Lambda would hand
// them: each gets the answer it is meant to show. The events carry `${FLOTILLA_TOKEN}` where a real token goes.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SubmitApplicationResult } from '../../../contract/application-schemas.ts';
import { lambdaContext } from '../../../local/lambda-context.ts';
import { call, startApiServer, type ApiServer } from './api-server.ts';

const eventsDir = new URL('../../../events/api/', import.meta.url);
const statusUrl = 'https://abc123.execute-api.eu-west-1.amazonaws.com/namespaces/default/applications/example-app/status';

/** In the order they run (the submit comes before the reads of what it made), with the status each must get. */
const expectations: [file: string, status: number, check?: (result: APIGatewayProxyStructuredResultV2) => void][] = [
  ['healthz', 200],
  ['openapi', 200, (result) => expect(JSON.parse(result.body!)).toMatchObject({ openapi: '3.1.0' })],
  ['list-clusters-without-token', 401],
  ['list-clusters', 200, (result) => expect(result.body).toContain('"us-west-1"')],
  ['list-clusters-prod-stage', 200],
  ['add-cluster-labels', 200, (result) => expect(result.body).toContain('"provider":"AWS"')],
  ['submit-application', 202, (result) => expect(SubmitApplicationResult.parse(JSON.parse(result.body!))).toMatchObject({ outcome: 'created', status: statusUrl })],
  ['submit-application-base64', 202, (result) => expect(SubmitApplicationResult.parse(JSON.parse(result.body!)).outcome).toBe('unchanged')],
  ['list-applications', 200, (result) => expect(result.body).toContain('"example-app"')],
  ['get-status-text', 200, (result) => expect(result.body).toMatch(/^About:\n\n {2}Name:\s+example-app\n/)],
  ['list-revisions', 200, (result) => expect(result.body).toContain('"example-app-v1"')],
  ['create-token', 201, (result) => expect(JSON.parse(result.body!)).toMatchObject({ role: 'deployer', namespaces: ['default'] })],
  ['delete-application', 202, (result) => expect(JSON.parse(result.body!)).toMatchObject({ deleting: true, force: true })],
];

let server: ApiServer;
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

async function sampleEvent(file: string): Promise<APIGatewayProxyEventV2> {
  const text = await readFile(new URL(`${file}.json`, eventsDir), 'utf8');
  return JSON.parse(text.replaceAll('${FLOTILLA_TOKEN}', server.adminToken)) as APIGatewayProxyEventV2;
}

beforeAll(async () => {
  server = await startApiServer({ credentials: 'kms' });
  const invoke = server.functionModules.api.handler as unknown as (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
  handler = (event) => invoke(event, lambdaContext('api', 30_000));
  // The sample submit places on beijing-1 and beijing-2: a topology may name registered clusters only.
  for (const cluster of ['us-west-1', 'beijing-1', 'beijing-2']) {
    const kubeconfig = await readFile(inject('clusterKubeconfigs')[cluster]!, 'utf8');
    expect((await call(server, 'POST', '/clusters', { token: server.adminToken, body: { kubeconfig } })).status).toBe(201);
  }
});
afterAll(async () => server?.close());

describe('sample API Gateway events', () => {
  it('every file in events/api has an expectation', async () => {
    const files = (await readdir(eventsDir)).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
    expect(files.sort()).toEqual(expectations.map(([file]) => file).sort());
  });

  it.each(expectations)('%s answers %i', async (file, status, check) => {
    const result = await handler(await sampleEvent(file));
    expect(result.statusCode, result.body).toBe(status);
    expect(result.headers?.['content-type']).toBeDefined();
    check?.(result);
  });

  it('reads a base64 body as bytes, so a body that is not UTF-8 is refused as such', async () => {
    const event = await sampleEvent('submit-application-base64');
    event.body = Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0xfe]).toString('base64');
    const result = await handler(event);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body!)).toEqual({ error: { code: 'validation_failed', message: 'the request body is not UTF-8 text', details: [{ path: '', message: 'the request body is not UTF-8 text' }] } });
  });

  it('keeps a named stage in the URLs it hands out', async () => {
    const event = await sampleEvent('submit-application');
    event.requestContext.stage = 'prod';
    event.rawPath = '/prod/applications';
    event.body = event.body!.replace('name: example-app', 'name: staged-app');
    const result = await handler(event);
    expect(result.statusCode).toBe(202);
    expect(SubmitApplicationResult.parse(JSON.parse(result.body!)).status).toBe(statusUrl.replace('.com/', '.com/prod/').replace('example-app', 'staged-app'));
  });
});
