import { describe, expect, it } from 'vitest';
import { errorStatuses } from '../../../contract/error-schemas.ts';
import { openApiDocument, routeTable } from '../../../api/route-table.ts';
import { ClusterView } from '../../../contract/cluster-schemas.ts';
import { CreateTokenRequest } from '../../../contract/token-schemas.ts';

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, unknown>;
}
type Schema = { properties?: Record<string, Schema>; required?: string[]; additionalProperties?: unknown; enum?: string[] } & Record<string, unknown>;

const document = openApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, unknown> };
};
const operation = (method: string, path: string) => document.paths[path]![method.toLowerCase()]!;

/** Every `$ref` anywhere in the document. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => (key === '$ref' && typeof member === 'string' ? [member] : refsIn(member)));
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and plain JSON', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('describes every route once, with a unique operationId', () => {
    for (const route of routeTable) expect(operation(route.method, route.path).operationId).toBe(route.operationId);
    const ids = routeTable.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const described = Object.values(document.paths).flatMap((methods) => Object.keys(methods));
    expect(described).toHaveLength(routeTable.length);
  });

  it('resolves every $ref', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
      expect(section, ref).toBeDefined();
      expect(document.components[section as 'schemas' | 'responses'][name!], ref).toBeDefined();
    }
  });

  it('asks for a token everywhere but /healthz, /openapi.json and the signed webhook and Slack routes, and lists the error answers', () => {
    const signed = ['/hooks/github/{triggerId}', '/hooks/gitlab/{triggerId}', '/hooks/generic/{triggerId}', '/chatops/slack', '/chatops/slack/interactions'];
    for (const route of routeTable) {
      const op = operation(route.method, route.path);
      const isPublic = route.path === '/healthz' || route.path === '/openapi.json';
      const isSigned = signed.includes(route.path);
      expect(op.security, route.path).toEqual(isPublic || isSigned ? [] : undefined);
      expect(Object.keys(op.responses)).toContain('500');
      if (!isPublic && !isSigned) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
      if (isSigned) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '413']));
    }
    expect(operation('POST', '/clusters').responses['422']).toBeDefined();
  });

  it('takes request schemas from the zod schemas the routes validate with', () => {
    const submit = operation('POST', '/applications').requestBody!.content;
    expect(Object.keys(submit)).toEqual(expect.arrayContaining(['application/yaml', 'application/json']));
    expect(submit['application/yaml']!.schema.$ref).toBe('#/components/schemas/Application');

    const join = document.components.schemas.JoinClusterRequest!;
    expect(Object.keys(join.properties!).sort()).toEqual(['context', 'creatableNamespaces', 'createNamespace', 'insecureSkipTlsVerify', 'kubeconfig', 'labels', 'name', 'overwrite']);
    expect(join.required).toEqual(['kubeconfig']);
    expect(join.additionalProperties).toBe(false);

    expect(document.components.schemas.CreateTokenRequest!.properties!.role!.enum).toEqual(CreateTokenRequest.shape.role.options);
    expect(operation('DELETE', '/clusters/{name}/labels').parameters).toEqual([
      expect.objectContaining({ name: 'name', in: 'path', required: true }),
      expect.objectContaining({ name: 'keys', in: 'query', required: true }),
    ]);
    expect(operation('DELETE', '/clusters/{name}').parameters[1]).toMatchObject({ name: 'force', in: 'query', required: false, schema: { enum: ['true', 'false'] } });
  });

  it('shows clusters and tokens without anything secret', () => {
    expect(Object.keys(document.components.schemas.ClusterView!.properties!)).toEqual(Object.keys(ClusterView.shape));
    expect(Object.keys(ClusterView.shape)).not.toContain('credentials');
    expect(Object.keys(document.components.schemas.TokenView!.properties!).sort()).toEqual(['clusters', 'createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'namespaces', 'revokedAt', 'role', 'state']);
    expect(Object.keys(document.components.schemas.CreatedToken!.properties!)).toContain('token');
  });

  it('lists every error code in the error shape', () => {
    const error = document.components.schemas.ErrorBody!.properties!.error!;
    expect(error.properties!.code!.enum).toEqual(Object.keys(errorStatuses));
    expect(error.required).toEqual(['code', 'message', 'details']);
  });
});
