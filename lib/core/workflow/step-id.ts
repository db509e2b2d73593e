import { createHash } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz123456789';
// Bytes at or above this would favour the first letters of the alphabet; they are skipped.
const unbiasedLimit = 256 - (256 % alphabet.length);

/**
 * The id of a workflow step: 10 characters from [a-z1-9], the format KubeVela shows (`id:wftf9d4exj`). KubeVela draws
 * it at random and keeps it for the same step name; deriving it from the app and step name gives the same stability
 * without storing anything.
 */
export function stepId(appKey: string, stepName: string): string {
  let id = '';
  for (let round = 0; id.length < 10; round += 1) {
    const digest = createHash('sha256').update(`${round}\u0000${appKey}\u0000${stepName}`).digest();
    for (const byte of digest) {
      if (byte < unbiasedLimit) id += alphabet[byte % alphabet.length];
      if (id.length === 10) break;
    }
  }
  return id;
}
