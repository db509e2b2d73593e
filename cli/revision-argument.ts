import { InvalidArgumentError } from '@commander-js/extra-typings';
import { parseRevisionName, type RevisionRef } from '../lib/core/application/revision-name.ts';

/** `APP-vN` on the command line: the application and the revision number, or a usage error (exit 2) saying the form. */
export function revisionArgument(text: string): RevisionRef & { name: string } {
  const ref = parseRevisionName(text);
  if (ref === undefined) throw new InvalidArgumentError(`${JSON.stringify(text)} is no revision name: give it as APP-vN, e.g. example-app-v2 (flotilla revisions APP lists them)`);
  return { ...ref, name: text };
}
