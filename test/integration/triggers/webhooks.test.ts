// Triggers through real HTTP on the API function (moto, KMS-sealed secrets, nothing consuming the planner queue):
// trigger rules, GitHub/GitLab/generic deliveries in their real shapes (matching, not matching, redelivered), the 401s
// for bad, missing, expired and replayed signatures with the whole table compared before and after, and EventBridge
// events posted by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatedToken } from '../../../contract/token-schemas.ts';
import { DeliveryResult, EventBridgeResult, TriggerList, TriggerView } from '../../../contract/trigger-schemas.ts';
import { call, drainQueue, startApiServer, tableSnapshot, type ApiServer } from '../api/api-server.ts';
import {
  currentDocument,
  genericHeaders,
  githubExample,
  githubHeaders,
  githubPush,
  imageOf,
  newSecret,
  newSha,
  postHook,
  sample,
  twoComponentApp,
  joinAppCluster,
} from './trigger-harness.ts';

const namespace = `hooks-${Date.now().toString(36)}`;
const app = `/namespaces/${namespace}/applications/shop`;
let server: ApiServer;
const tokens = { admin: '', deployer: '', viewer: '', elsewhere: '' };

const snapshot = () => tableSnapshot(server.clients.dynamodb, server.tableName);
const as = (token: keyof typeof tokens) => ({ token: tokens[token] });

async function createTrigger(body: Record<string, unknown>, token: keyof typeof tokens = 'deployer') {
  const answer = await call(server, 'POST', `${app}/triggers`, { ...as(token), body });
  expect(answer.status, answer.text).toBe(201);
  return TriggerView.parse(answer.json);
}

async function plannerRuns(): Promise<unknown[]> {
  return (await drainQueue(server.clients.sqs, server.plannerQueueUrl)).filter((message: any) => message.kind === 'run');
}

beforeAll(async () => {
  for (const name of ['CI_EVENTS_QUEUE_URL', 'SLACK_INLINE_BUDGET_MS', 'SLACK_RESPONSE_URL_ORIGINS']) delete process.env[name];
  server = await startApiServer({ credentials: 'kms' });
  await joinAppCluster(server);
  tokens.admin = server.adminToken;
  const mint = async (body: Record<string, unknown>) => CreatedToken.parse((await call(server, 'POST', '/tokens', { ...as('admin'), body })).json).token;
  tokens.deployer = await mint({ name: 'ci', role: 'deployer', namespaces: [namespace] });
  tokens.viewer = await mint({ name: 'watcher', role: 'viewer' });
  tokens.elsewhere = await mint({ name: 'other team', role: 'deployer', namespaces: ['team-b'] });
  const submitted = await call(server, 'POST', '/applications', { ...as('deployer'), body: twoComponentApp(namespace) });
  expect(submitted.status, submitted.text).toBe(202);
  await drainQueue(server.clients.sqs, server.plannerQueueUrl);
});
afterAll(async () => {
  await server?.close();
});

describe('trigger rules', () => {
  it('are created with the webhook URL, never show the secret, and keep it sealed in the table', async () => {
    const secret = newSecret();
    const trigger = await createTrigger({
      source: 'github',
      component: 'api',
      image: 'ghcr.io/codertocat/hello-world:${shortSha}',
      events: [{ on: 'push', branches: ['main'] }],
      secret,
      description: 'ships main',
    });
    expect(trigger).toMatchObject({ namespace, application: 'shop', component: 'api', source: 'github', description: 'ships main' });
    expect(trigger.webhookUrl).toBe(`${server.url}/hooks/github/${trigger.id}`);
    const listed = await call(server, 'GET', `${app}/triggers`, as('viewer'));
    expect(listed.status).toBe(200);
    expect(TriggerList.parse(listed.json).triggers.map((entry) => entry.id)).toContain(trigger.id);
    const everywhere = await call(server, 'GET', '/triggers', as('viewer'));
    expect(TriggerList.parse(everywhere.json).triggers.map((entry) => entry.id)).toContain(trigger.id);
    for (const text of [listed.text, everywhere.text, await snapshot()]) expect(text).not.toContain(secret);
    const raw = await server.store.triggers.get(trigger.id);
    expect(raw?.secret?.keyProvider).toBe('aws-kms');
  });

  it('are checked as a whole, every problem with its path, and nothing is stored', async () => {
    const before = await snapshot();
    const answer = await call(server, 'POST', `${app}/triggers`, {
      ...as('deployer'),
      body: { source: 'github', component: 'db', events: [{ on: 'pipeline' }, { on: 'push', image: 'app:${tag}' }] },
    });
    expect(answer.status).toBe(400);
    expect((answer.json as any).error.details.map((detail: any) => detail.path)).toEqual(['events[0].on', 'events[1].image', 'secret', 'component']);
    expect(await snapshot()).toBe(before);
  });

  it('are added by deployers in their namespaces, and read by viewers', async () => {
    const body = { source: 'eventbridge', component: 'web', events: [{ on: 'image', repositories: ['web'] }] };
    expect((await call(server, 'POST', `${app}/triggers`, { ...as('viewer'), body })).status).toBe(403);
    expect((await call(server, 'POST', `${app}/triggers`, { ...as('elsewhere'), body })).status).toBe(403);
    expect((await call(server, 'GET', `/triggers?namespace=${namespace}`, as('elsewhere'))).status).toBe(403);
    expect(TriggerList.parse((await call(server, 'GET', '/triggers', as('elsewhere'))).json).triggers).toEqual([]);
    expect((await call(server, 'POST', `/namespaces/${namespace}/applications/nothing/triggers`, { ...as('deployer'), body })).status).toBe(404);
  });
});

describe('GitHub webhooks', () => {
  let trigger: { id: string };
  let secret: string;
  beforeAll(async () => {
    secret = newSecret();
    trigger = await createTrigger({ source: 'github', component: 'api', image: 'ghcr.io/codertocat/hello-world:${shortSha}', events: [{ on: 'push', branches: ['main'] }], secret });
  });
  const hook = () => `/hooks/github/${trigger.id}`;

  it('a push to main publishes a revision with the image (202) and queues its run; the redelivery creates nothing', async () => {
    await plannerRuns();
    const sha = newSha();
    const body = JSON.stringify(githubPush('main', sha));
    const headers = githubHeaders(secret, body, 'push', `delivery-${sha.slice(0, 8)}`);
    const answer = await postHook(server, hook(), body, headers);
    expect(answer.status, answer.text).toBe(202);
    const result = DeliveryResult.parse(answer.json);
    expect(result).toMatchObject({ outcome: 'deployed', trigger: trigger.id, namespace, application: 'shop', image: `ghcr.io/codertocat/hello-world:${sha.slice(0, 7)}` });
    expect(answer.headers.get('location')).toBe(`${server.url}${app}/status`);
    const detail = await currentDocument(server, tokens.viewer, namespace, 'shop');
    expect(detail.revision).toBe(result.revision);
    expect(imageOf(detail, 'api')).toBe(`ghcr.io/codertocat/hello-world:${sha.slice(0, 7)}`);
    expect(imageOf(detail, 'web')).toBe('ghcr.io/codertocat/web:base');
    expect(await plannerRuns()).toEqual([expect.objectContaining({ kind: 'run', namespace, name: 'shop', revision: result.revisionNumber, reason: 'submit' })]);

    const before = await snapshot();
    const again = await postHook(server, hook(), body, headers);
    expect(again.status).toBe(200);
    expect(DeliveryResult.parse(again.json)).toMatchObject({ outcome: 'duplicate', revision: result.revision, image: result.image });
    expect(await snapshot()).toBe(before);
    expect(await plannerRuns()).toEqual([]);
  });

  it('the same signed body replayed under a new X-GitHub-Delivery deploys nothing: a duplicate by its body digest', async () => {
    await plannerRuns();
    const sha = newSha();
    const body = JSON.stringify(githubPush('main', sha));
    const first = await postHook(server, hook(), body, githubHeaders(secret, body, 'push', `delivery-${sha.slice(0, 8)}`));
    expect(first.status, first.text).toBe(202);
    const deployed = DeliveryResult.parse(first.json);
    expect(deployed.outcome).toBe('deployed');
    expect(await plannerRuns()).toHaveLength(1);

    const before = await snapshot();
    // The delivery id is not covered by the signature, so a captured request can carry any id.
    const replay = await postHook(server, hook(), body, githubHeaders(secret, body, 'push', `replayed-${sha.slice(0, 8)}`));
    expect(replay.status, replay.text).toBe(200);
    expect(DeliveryResult.parse(replay.json)).toMatchObject({ outcome: 'duplicate', revision: deployed.revision, image: deployed.image });
    expect(replay.text).toMatch(/its body \(sha256:[0-9a-f]{64}, delivery replayed-/);
    expect(await snapshot()).toBe(before);
    expect(await plannerRuns()).toEqual([]);
    expect((await currentDocument(server, tokens.viewer, namespace, 'shop')).revision).toBe(deployed.revision);

    // A different body (another commit) under a reused id is still refused by the id: each guard holds on its own.
    const other = JSON.stringify(githubPush('main', newSha()));
    const reused = await postHook(server, hook(), other, githubHeaders(secret, other, 'push', `delivery-${sha.slice(0, 8)}`));
    expect(reused.status).toBe(200);
    expect(DeliveryResult.parse(reused.json).outcome).toBe('duplicate');
    expect(await snapshot()).toBe(before);
  });

  it('a push elsewhere, a ping and other events answer 200 ignored with the reason, and store nothing', async () => {
    const before = await snapshot();
    const elsewhere = JSON.stringify(githubPush('dev', newSha()));
    const answer = await postHook(server, hook(), elsewhere, githubHeaders(secret, elsewhere, 'push', 'delivery-dev'));
    expect(answer.status).toBe(200);
    expect(DeliveryResult.parse(answer.json)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/to branch dev of codertocat\/hello-world; this trigger deploys pushes to branch main$/) });
    const ping = JSON.stringify(githubExample('ping'));
    expect(DeliveryResult.parse((await postHook(server, hook(), ping, githubHeaders(secret, ping, 'ping', 'delivery-ping'))).json)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/^ping/) });
    const issue = JSON.stringify(githubExample('issues'));
    expect(DeliveryResult.parse((await postHook(server, hook(), issue, githubHeaders(secret, issue, 'issues', 'delivery-issue'))).json).outcome).toBe('ignored');
    expect(await snapshot()).toBe(before);
    expect(await plannerRuns()).toEqual([]);
  });

  it('bad, missing and malformed signatures get 401 and store nothing', async () => {
    const before = await snapshot();
    const body = JSON.stringify(githubPush('main', newSha()));
    const good = githubHeaders(secret, body, 'push', 'delivery-forged');
    const cases: [string, Record<string, string>, string][] = [
      ['another secret', githubHeaders(newSecret(), body, 'push', 'delivery-forged'), body],
      ['a changed body', good, `${body} `],
      ['no signature', { ...good, 'x-hub-signature-256': '' }, body],
      ['the old sha1 header only', { 'x-github-event': 'push', 'x-github-delivery': 'delivery-forged', 'x-hub-signature': 'sha1=0000' }, body],
      ['a malformed signature', { ...good, 'x-hub-signature-256': 'sha256=xyz' }, body],
    ];
    for (const [name, headers, sent] of cases) {
      const answer = await postHook(server, hook(), sent, headers);
      expect(answer.status, name).toBe(401);
      expect((answer.json as any).error.code, name).toBe('unauthenticated');
    }
    expect(await snapshot()).toBe(before);
    expect(await plannerRuns()).toEqual([]);
  });

  it('unknown triggers, another provider\'s path and removed triggers are 404', async () => {
    const body = JSON.stringify(githubPush('main', newSha()));
    const headers = githubHeaders(secret, body, 'push', 'delivery-404');
    expect((await postHook(server, '/hooks/github/0123456789abcdef0123', body, headers)).status).toBe(404);
    const wrongPath = await postHook(server, `/hooks/gitlab/${trigger.id}`, body, headers);
    expect(wrongPath.status).toBe(404);
    expect((wrongPath.json as any).error.message).toBe(`trigger ${trigger.id} is a github trigger; its URL ends in /hooks/github/${trigger.id}`);
    expect((await postHook(server, '/hooks/github/not-an-id', body, headers)).status).toBe(400);

    const doomed = await createTrigger({ source: 'github', component: 'web', image: 'ghcr.io/codertocat/web:${sha}', events: [{ on: 'push' }], secret });
    expect((await call(server, 'DELETE', `${app}/triggers/${doomed.id}`, as('viewer'))).status).toBe(403);
    const removed = await call(server, 'DELETE', `${app}/triggers/${doomed.id}`, as('deployer'));
    expect(removed.status).toBe(200);
    expect((await postHook(server, `/hooks/github/${doomed.id}`, body, headers)).status).toBe(404);
    expect((await call(server, 'DELETE', `${app}/triggers/${doomed.id}`, as('deployer'))).status).toBe(404);
  });
});

describe('GitLab webhooks', () => {
  it('a successful pipeline deploys its commit; a wrong token is 401; a redelivery with the same Idempotency-Key is a duplicate', async () => {
    const secret = newSecret();
    const trigger = await createTrigger({ source: 'gitlab', component: 'web', image: 'ghcr.io/codertocat/web:${sha}', events: [{ on: 'pipeline', branches: ['master'] }], secret });
    const payload = sample('webhooks/gitlab/pipeline-hook.json');
    const sha = newSha();
    payload.object_attributes.sha = sha;
    const body = JSON.stringify(payload);
    const headers = { 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-token': secret, 'idempotency-key': `pipeline-${sha.slice(0, 8)}` };

    const before = await snapshot();
    expect((await postHook(server, `/hooks/gitlab/${trigger.id}`, body, { ...headers, 'x-gitlab-token': newSecret() })).status).toBe(401);
    expect((await postHook(server, `/hooks/gitlab/${trigger.id}`, body, { 'x-gitlab-event': 'Pipeline Hook' })).status).toBe(401);
    expect(await snapshot()).toBe(before);

    const answer = await postHook(server, `/hooks/gitlab/${trigger.id}`, body, headers);
    expect(answer.status, answer.text).toBe(202);
    expect(DeliveryResult.parse(answer.json)).toMatchObject({ outcome: 'deployed', image: `ghcr.io/codertocat/web:${sha}` });
    expect(imageOf(await currentDocument(server, tokens.viewer, namespace, 'shop'), 'web')).toBe(`ghcr.io/codertocat/web:${sha}`);
    const again = await postHook(server, `/hooks/gitlab/${trigger.id}`, body, headers);
    expect(DeliveryResult.parse(again.json)).toMatchObject({ outcome: 'duplicate', revision: DeliveryResult.parse(answer.json).revision });

    const tag = JSON.stringify(sample('webhooks/gitlab/tag-push-hook.json'));
    const ignored = await postHook(server, `/hooks/gitlab/${trigger.id}`, tag, { 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-token': secret });
    expect(DeliveryResult.parse(ignored.json)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/this trigger deploys successful pipelines only$/) });
    await plannerRuns();
  });
});

describe('generic webhooks', () => {
  let trigger: { id: string };
  let secret: string;
  beforeAll(async () => {
    secret = newSecret();
    trigger = await createTrigger({ source: 'generic', component: 'api', events: [{ on: 'image', repositories: ['codertocat/*'] }], secret });
  });
  const hook = () => `/hooks/generic/${trigger.id}`;
  const event = (tag: string) => JSON.stringify({ event: 'image', image: `ghcr.io/codertocat/hello-world:${tag}`, tag, repository: 'codertocat/hello-world' });

  it('deploys the image it names; a replayed request, an expired timestamp and a bad signature are 401 and store nothing', async () => {
    const body = event('1.4.0');
    const headers = genericHeaders(secret, body, new Date(), 'build-1400');
    const answer = await postHook(server, hook(), body, headers);
    expect(answer.status, answer.text).toBe(202);
    expect(DeliveryResult.parse(answer.json)).toMatchObject({ outcome: 'deployed', delivery: 'build-1400', image: 'ghcr.io/codertocat/hello-world:1.4.0' });
    // The trigger's revision is confined as the deployer's revision it derives from was (tenancy, issue 12).
    const revisions = await server.store.applications.listRevisions(namespace, 'shop');
    expect(revisions[0]!.scope).toEqual(revisions.at(-1)!.scope);
    expect(revisions[0]!.scope?.namespaces).toEqual([namespace]);

    const before = await snapshot();
    const replay = await postHook(server, hook(), body, headers);
    expect(replay.status).toBe(401);
    expect((replay.json as any).error.message).toBe('this signature was used before: a replayed request');
    const expired = await postHook(server, hook(), body, genericHeaders(secret, body, new Date(Date.now() - 6 * 60_000), 'build-1400'));
    expect(expired.status).toBe(401);
    expect((expired.json as any).error.message).toMatch(/requests older than 300 s are refused as replays/);
    expect((await postHook(server, hook(), body, genericHeaders(newSecret(), body, new Date(), 'build-1400'))).status).toBe(401);
    expect((await postHook(server, hook(), body, { 'x-flotilla-delivery': 'build-1400' })).status).toBe(401);
    expect(await snapshot()).toBe(before);

    // The sender retrying with a fresh signature is a redelivery of the same id: answered, not applied again.
    const retried = await postHook(server, hook(), body, genericHeaders(secret, body, new Date(Date.now() + 1000), 'build-1400'));
    expect(retried.status).toBe(200);
    expect(DeliveryResult.parse(retried.json)).toMatchObject({ outcome: 'duplicate', revision: DeliveryResult.parse(answer.json).revision });
    await plannerRuns();
  });

  it('answers unchanged when the component already runs the image, and 400 for a body it cannot read', async () => {
    // The same image stated without its tag: other bytes (so no replay), the same deployment.
    const body = JSON.stringify({ event: 'image', image: 'ghcr.io/codertocat/hello-world:1.4.0', repository: 'codertocat/hello-world' });
    const unchanged = await postHook(server, hook(), body, genericHeaders(secret, body, new Date(), 'build-1400-again'));
    expect(unchanged.status).toBe(200);
    expect(DeliveryResult.parse(unchanged.json).outcome).toBe('unchanged');
    const bad = JSON.stringify({ event: 'image' });
    const refused = await postHook(server, hook(), bad, genericHeaders(secret, bad));
    expect(refused.status).toBe(400);
    expect((refused.json as any).error.details).toEqual([{ path: 'image', message: 'is required' }]);
  });
});

describe('deliveries racing for one application', () => {
  it('both land: a trigger revision is made on top of whatever revision became current meanwhile', async () => {
    const secret = newSecret();
    const api = await createTrigger({ source: 'generic', component: 'api', events: [{ on: 'image', repositories: ['api'] }], secret });
    const web = await createTrigger({ source: 'generic', component: 'web', events: [{ on: 'image', repositories: ['web'] }], secret });
    const post = (trigger: { id: string }, repository: string, tag: string) => {
      const body = JSON.stringify({ event: 'image', image: `ghcr.io/codertocat/${repository}:${tag}`, repository });
      return postHook(server, `/hooks/generic/${trigger.id}`, body, genericHeaders(secret, body));
    };
    const answers = await Promise.all([post(api, 'api', 'race-1'), post(web, 'web', 'race-1'), post(api, 'api', 'race-2'), post(web, 'web', 'race-2')]);
    for (const answer of answers) expect(answer.status, answer.text).toBe(202);
    const revisions = answers.map((answer) => DeliveryResult.parse(answer.json).revisionNumber);
    expect(new Set(revisions).size).toBe(4);
    const detail = await currentDocument(server, tokens.viewer, namespace, 'shop');
    const last = answers[revisions.indexOf(Math.max(...(revisions as number[])))]!;
    expect(detail.revision).toBe(DeliveryResult.parse(last.json).revision);
    // Whichever order they landed in, each component ends at an image of its own trigger, never back at its base.
    expect(imageOf(detail, 'api')).toMatch(/^ghcr.io\/codertocat\/api:race-[12]$/);
    expect(imageOf(detail, 'web')).toMatch(/^ghcr.io\/codertocat\/web:race-[12]$/);
    await plannerRuns();
  });
});

describe('EventBridge events posted by hand', () => {
  it('deploy every EventBridge trigger listening to the repository, once per event id, in namespaces the token may deploy to', async () => {
    await createTrigger({ source: 'eventbridge', component: 'web', events: [{ on: 'image', repositories: ['my-repository-name'] }] });
    const event = sample('eventbridge/ecr-image-push.json');
    event.id = crypto.randomUUID();
    event.detail['image-tag'] = `v-${event.id.slice(0, 8)}`;
    const image = `123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:v-${event.id.slice(0, 8)}`;

    const other = await call(server, 'POST', '/events/eventbridge', { ...as('elsewhere'), body: event });
    expect(EventBridgeResult.parse(other.json).results).toEqual([]);
    const answer = await call(server, 'POST', '/events/eventbridge', { ...as('deployer'), body: event });
    expect(answer.status, answer.text).toBe(202);
    expect(EventBridgeResult.parse(answer.json).results).toEqual([expect.objectContaining({ namespace, application: 'shop', outcome: 'deployed', image })]);
    expect(imageOf(await currentDocument(server, tokens.viewer, namespace, 'shop'), 'web')).toBe(image);

    const again = await call(server, 'POST', '/events/eventbridge', { ...as('deployer'), body: event });
    expect(again.status).toBe(200);
    expect(EventBridgeResult.parse(again.json).results).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    const deleted = await call(server, 'POST', '/events/eventbridge', { ...as('deployer'), body: sample('eventbridge/ecr-image-delete.json') });
    expect(EventBridgeResult.parse(deleted.json)).toMatchObject({ ignored: 'ECR DELETE (SUCCESS) of my-repository-name; only successful pushes deploy', results: [] });
    expect((await call(server, 'POST', '/events/eventbridge', { ...as('viewer'), body: event })).status).toBe(403);
    await plannerRuns();
  });
});

describe('a trigger whose component is gone', () => {
  it('answers 422 trigger_misconfigured and publishes nothing', async () => {
    const secret = newSecret();
    const trigger = await createTrigger({ source: 'generic', component: 'web', events: [{ on: 'image' }], secret });
    const document = twoComponentApp(namespace);
    document.spec.components = document.spec.components.filter((component) => component.name === 'api');
    expect((await call(server, 'POST', '/applications', { ...as('deployer'), body: document })).status).toBe(202);
    const body = JSON.stringify({ event: 'image', image: 'ghcr.io/codertocat/web:orphan' });
    const before = await snapshot();
    const answer = await postHook(server, `/hooks/generic/${trigger.id}`, body, genericHeaders(secret, body));
    expect(answer.status).toBe(422);
    expect((answer.json as any).error).toMatchObject({ code: 'trigger_misconfigured', message: expect.stringMatching(/has no component web$/) });
    // Only the signature was remembered (against replays); no revision, no delivery.
    const after = await snapshot();
    expect(JSON.parse(after).filter((item: any) => !item.pk.S.startsWith('REPLAY#'))).toEqual(JSON.parse(before).filter((item: any) => !item.pk.S.startsWith('REPLAY#')));
  });
});
