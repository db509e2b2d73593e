import { revisionNameOf } from '../../core/application/revision-name.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { compareWithCurrent, identifyApplication } from '../../core/application/application-identity.ts';
import { ConflictError } from '../../engine/ports/conflict-error.ts';
import { allApplicationsGroup, applicationKey, liveRunKey, applicationPartition, namespacePartition, revisionKey } from './keys.ts';
import { RecordTable } from './record-table.ts';
import type { Table } from './table.ts';
import { ApplicationRecord, latestRevisionOf, RevisionRecord } from '../../core/application/application-record.ts';
import { type ApplicationStore, type SubmitOptions, type SubmitResult } from '../../engine/ports/store.ts';
import { Application } from '../../core/application/application.ts';

/** Enough for many writers racing on one application; each lost round means someone else's revision landed. */
const maxSubmitRounds = 25;

class Applications extends RecordTable<ApplicationRecord> {
  constructor(table: Table) {
    super(table, {
      entity: 'application',
      schema: ApplicationRecord,
      jsonFields: [],
      key: (record) => applicationKey(record.namespace, record.name),
      group: (record) => ({ gsi1pk: allApplicationsGroup, gsi1sk: `${record.namespace}#${record.name}` }),
      label: (record) => `${record.namespace}/${record.name}`,
    });
  }

  get(namespace: string, name: string) {
    return this.read(applicationKey(namespace, name));
  }

  list(namespace: string) {
    return this.readAll({ partition: namespacePartition(namespace), sortPrefix: 'APP#' });
  }

  listAll() {
    return this.readAll({ partition: allApplicationsGroup, byGroup: true });
  }
}

class Revisions extends RecordTable<RevisionRecord> {
  constructor(table: Table) {
    super(table, {
      entity: 'revision',
      schema: RevisionRecord,
      jsonFields: ['document', 'secrets'],
      key: (record) => revisionKey(record.namespace, record.application, record.revision),
      label: (record) => `${record.namespace}/${record.revisionName}`,
    });
  }

  get(namespace: string, name: string, revision: number) {
    return this.read(revisionKey(namespace, name, revision));
  }

  list(namespace: string, name: string) {
    return this.readAll({ partition: applicationPartition(namespace, name), sortPrefix: 'REVISION#', descending: true });
  }
}

/**
 * Applications (one header item each) and their immutable revisions. Without transactions, the revision item is the
 * commit point: whoever creates revision N with a conditional put has submitted; the header is then advanced with a
 * version-checked write, and any submitter that finds revision N already there advances the header on the winner's
 * behalf before deciding again (so a crash between the two writes heals on the next submit).
 */
export class DynamoApplicationStore implements ApplicationStore {
  readonly #table: Table;
  readonly #applications: Applications;
  readonly #revisions: Revisions;

  constructor(table: Table) {
    this.#table = table;
    this.#applications = new Applications(table);
    this.#revisions = new Revisions(table);
  }

  async submit(document: Application, now: Date = new Date(), options: SubmitOptions = {}): Promise<SubmitResult> {
    const identity = identifyApplication(document, options.secrets?.digest);
    const { namespace, name } = identity;
    for (let round = 0; round < maxSubmitRounds; round++) {
      const application = await this.#applications.get(namespace, name);
      if (application?.deleting) throw new ConflictError('application', `${namespace}/${name}`, 'deleting');
      if (options.basedOn !== undefined && (application?.currentRevision ?? 0) !== options.basedOn) {
        throw new ConflictError('application', `${namespace}/${name}`, 'changed');
      }
      // Compared with the current revision, which is what the clusters run (a rollback moves it back), not the newest.
      const comparison = compareWithCurrent(application, identity);
      if (application && comparison !== 'new') {
        const revision = await this.#revisions.get(namespace, name, application.currentRevision);
        if (!revision) throw new Error(`application ${namespace}/${name} names revision ${application.currentRevision}, which is missing`);
        return { outcome: 'unchanged', because: comparison, application, revision };
      }
      const number = (application ? latestRevisionOf(application) : 0) + 1;
      const candidate: RevisionRecord = {
        namespace,
        application: name,
        revision: number,
        revisionName: revisionNameOf(name, number),
        specHash: identity.specHash,
        publishVersion: identity.publishVersion,
        document,
        ...(options.secrets === undefined ? {} : { secrets: await options.secrets.seal(number) }),
        ...(options.scope === undefined ? {} : { scope: options.scope }),
        createdAt: now.toISOString(),
        version: 1,
      };
      let revision: RevisionRecord;
      try {
        revision = await this.#revisions.create(candidate);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Someone committed revision N first: bring the header up to it, then decide again against it.
        await this.#advance(application, await this.#revisions.get(namespace, name, number), now).catch((advanceError: unknown) => {
          if (!(advanceError instanceof ConflictError)) throw advanceError;
        });
        await sleep(Math.random() * 10 * (round + 1));
        continue;
      }
      return { outcome: 'created', application: await this.#advance(application, revision, now), revision };
    }
    throw new ConflictError('application', `${namespace}/${name}`, 'changed');
  }

  /** Points the header at `revision`, unless someone already did (or moved past it): then returns what is stored. */
  async #advance(current: ApplicationRecord | undefined, revision: RevisionRecord | undefined, now: Date): Promise<ApplicationRecord> {
    if (!revision) throw new Error('a conflicting revision vanished; revisions are never deleted while the application exists');
    const next: ApplicationRecord = {
      namespace: revision.namespace,
      name: revision.application,
      currentRevision: revision.revision,
      latestRevision: revision.revision,
      specHash: revision.specHash,
      publishVersion: revision.publishVersion,
      deleting: false,
      createdAt: current?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
      version: 0,
    };
    try {
      return current ? await this.#applications.replace(next, current.version) : await this.#applications.create(next);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const stored = await this.#applications.get(revision.namespace, revision.application);
      if (!stored || latestRevisionOf(stored) < revision.revision) throw err;
      return stored;
    }
  }

  async rollBack(namespace: string, name: string, revision: number, expectedVersion: number, now: Date = new Date()): Promise<ApplicationRecord> {
    const [application, target] = await Promise.all([this.#applications.get(namespace, name), this.#revisions.get(namespace, name, revision)]);
    if (!application || application.deleting || application.version !== expectedVersion) throw new ConflictError('application', `${namespace}/${name}`, 'changed');
    if (!target) throw new Error(`application ${namespace}/${name} has no revision ${revision} to roll back to`);
    const next: ApplicationRecord = {
      ...application,
      currentRevision: target.revision,
      latestRevision: latestRevisionOf(application),
      specHash: target.specHash,
      publishVersion: target.publishVersion,
      updatedAt: now.toISOString(),
    };
    if (target.publishVersion === undefined) delete next.publishVersion;
    return this.#applications.replace(next, expectedVersion);
  }

  get(namespace: string, name: string) {
    return this.#applications.get(namespace, name);
  }

  list(namespace: string) {
    return this.#applications.list(namespace);
  }

  listAll() {
    return this.#applications.listAll();
  }

  getRevision(namespace: string, name: string, revision: number) {
    return this.#revisions.get(namespace, name, revision);
  }

  listRevisions(namespace: string, name: string) {
    return this.#revisions.list(namespace, name);
  }

  async markDeleting(namespace: string, name: string, expectedVersion: number, now: Date = new Date()) {
    const application = await this.#applications.get(namespace, name);
    if (!application) throw new ConflictError('application', `${namespace}/${name}`, 'changed');
    return this.#applications.replace({ ...application, deleting: true, updatedAt: now.toISOString() }, expectedVersion);
  }

  async purge(namespace: string, name: string): Promise<void> {
    // Revisions first: a header without revisions would be unreadable, revisions without a header are invisible.
    for (const revision of await this.#revisions.list(namespace, name)) {
      await this.#table.delete(revisionKey(namespace, name, revision.revision));
    }
    await this.#table.delete(liveRunKey(namespace, name));
    await this.#table.delete(applicationKey(namespace, name));
  }
}
