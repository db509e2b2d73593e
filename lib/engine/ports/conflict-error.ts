/** Why a conditional write was refused. */
export type ConflictReason =
  /** A create found the key taken. */
  | 'already-exists'
  /** A read-modify-write found a different `version` (someone wrote in between) or the item gone. */
  | 'changed'
  /** The application is being deleted; it can be submitted again once it is gone. */
  | 'deleting';


const conflictMessages: Record<ConflictReason, (entity: string, key: string) => string> = {
  'already-exists': (entity, key) => `${entity} ${key} already exists`,
  changed: (entity, key) => `${entity} ${key} was changed or removed by someone else; read it again and retry`,
  deleting: (entity, key) => `${entity} ${key} is being deleted; submit it again once it is gone`,
};


/**
 * A conditional write lost: the caller read stale data or raced another writer. Callers re-read and decide again; the
 * API maps it to 409.
 */
export class ConflictError extends Error {
  readonly entity: string;
  readonly key: string;
  readonly reason: ConflictReason;

  constructor(entity: string, key: string, reason: ConflictReason) {
    super(conflictMessages[reason](entity, key));
    this.name = 'ConflictError';
    this.entity = entity;
    this.key = key;
    this.reason = reason;
  }
}
