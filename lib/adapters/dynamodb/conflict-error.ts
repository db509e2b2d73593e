import { isConditionFailure } from './table.ts';
import { ConflictError } from '../../engine/ports/conflict-error.ts';

/** Runs a conditional write and turns DynamoDB's condition failure into the caller's ConflictError. */
export async function conflictOnConditionFailure<T>(write: Promise<T>, conflict: () => ConflictError): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isConditionFailure(err)) throw conflict();
    throw err;
  }
}
