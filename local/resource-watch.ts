// When the backend restarts empty (moto, LocalStack) the table and queues are gone while npm start keeps running.
// The watch re-creates them when a poller or handler meets a missing one, or its own periodic check does, so the
// control plane goes on. Tokens live in the table: a re-created table has none, and the watch says so loudly instead
// of minting an admin token nobody asked for.
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { checkDependencies } from '../lib/adapters/aws/dependency-check.ts';
import { infrastructureFault } from '../lib/adapters/aws/infrastructure-fault.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';
import { provisionLocal, type LocalResources } from './provision.ts';

export interface ResourceWatchOptions {
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient };
  prefix: string;
  resources: LocalResources;
  adminTokenPath: string;
  log: (line: string) => void;
  /** How often the watch checks by itself, for a missing table nothing else touches. 0: never. */
  checkSeconds: number;
}

export interface ResourceWatch {
  /** Re-provisions when `err` says a table or queue is missing; other errors are left to the caller. */
  noticed(err: unknown): void;
  /** Resolves once a re-provisioning under way (if any) is over. */
  settled(): Promise<void>;
  stop(): void;
}

/** At most one re-provisioning per this long: every poller meets the missing queue at about the same moment. */
const minGapMs = 5_000;

export function watchResources(opts: ResourceWatchOptions): ResourceWatch {
  const { clients, resources, log } = opts;
  let running: Promise<void> | undefined;
  let lastAt = 0;

  const reprovision = () => {
    if (running !== undefined || Date.now() - lastAt < minGapMs) return;
    lastAt = Date.now();
    running = (async () => {
      const tableExisted = await tableExists(clients.dynamodb, resources.tableName);
      const now = await provisionLocal(clients.dynamodb, clients.sqs, opts.prefix);
      const moved = (['plannerQueueUrl', 'applierQueueUrl', 'healthQueueUrl'] as const).filter((key) => now[key] !== resources[key]);
      log(`re-provisioned the table and queues under prefix ${opts.prefix}: the backend had lost ${tableExisted ? 'queues' : 'the table'}`);
      if (moved.length > 0) log(`warning: ${moved.join(', ')} changed on re-creation; restart npm start so the functions use the new URLs`);
      if (!tableExisted) {
        log(
          `the table ${resources.tableName} was re-created EMPTY: every token, cluster and application record is gone, and the admin token in ` +
            `${opts.adminTokenPath} no longer authenticates. No token is minted behind your back: restart npm start to create a new admin token there.`,
        );
      }
    })()
      .catch((err: unknown) => log(`re-provisioning failed (tried again when next noticed): ${errorMessage(err)}`))
      .finally(() => (running = undefined));
  };

  const timer =
    opts.checkSeconds > 0
      ? setInterval(() => {
          const queues = { planner: resources.plannerQueueUrl, applier: resources.applierQueueUrl, health: resources.healthQueueUrl };
          void checkDependencies(clients, { tableName: resources.tableName, queues }).then((checks) => {
            if (checks.some((check) => check.fault?.kind === 'missing')) reprovision();
          });
        }, opts.checkSeconds * 1000)
      : undefined;
  timer?.unref();

  return {
    noticed: (err) => {
      if (infrastructureFault(err)?.kind === 'missing') reprovision();
    },
    settled: async () => {
      await running;
    },
    stop: () => clearInterval(timer),
  };
}

async function tableExists(dynamodb: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException || (err instanceof Error && err.name === 'ResourceNotFoundException')) return false;
    throw err;
  }
}
