import { isDnsLabel } from './dns-name.ts';

/** A revision's name as KubeVela spells it: `<application>-v<N>`. */
export function revisionNameOf(application: string, revision: number): string {
  return `${application}-v${revision}`;
}

export interface RevisionRef {
  application: string;
  revision: number;
}

const revisionNamePattern = /^(.+)-v([1-9][0-9]{0,8})$/;

/** `example-app-v2` -> `{application: 'example-app', revision: 2}`; undefined when the text is no revision name. */
export function parseRevisionName(text: string): RevisionRef | undefined {
  const match = revisionNamePattern.exec(text);
  if (!match?.[1] || !match[2] || !isDnsLabel(match[1])) return undefined;
  return { application: match[1], revision: Number(match[2]) };
}
