import { isMap, isSeq, parseDocument } from 'yaml';
import { UsageError } from './usage-error.ts';

export interface PreparedApplication {
  /** What to send: the file as it is, unless a namespace had to be filled in. */
  text: string;
  contentType: 'application/yaml' | 'application/json';
  /** The component names, for `up`'s hints; empty when the document cannot be read (the API then says why). */
  components: string[];
}

export interface NamespaceChoice {
  namespace: string;
  /** Given with `-n`: a document naming another namespace is a contradiction. Otherwise a default (env, config). */
  explicit: boolean;
}

/**
 * Readies an Application for `POST /applications`. JSON goes as JSON, anything else as YAML. A document without
 * `metadata.namespace` gets the chosen namespace (like vela's env namespace); one that names a namespace keeps it,
 * unless `-n` names a different one, which is refused. A document the CLI cannot read is sent as it is, so the API
 * reports every problem in it the same way for every client.
 */
export function prepareApplication(text: string, choice: NamespaceChoice): PreparedApplication {
  const contentType = text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { text, contentType, components: [] };
  const components = doc.getIn(['spec', 'components']);
  const names = isSeq(components)
    ? components.items.flatMap((item) => {
        const name = isMap(item) ? item.get('name') : undefined;
        return typeof name === 'string' ? [name] : [];
      })
    : [];
  const declared = doc.getIn(['metadata', 'namespace']);
  if (typeof declared === 'string' && declared !== '') {
    if (choice.explicit && declared !== choice.namespace) {
      throw new UsageError(`the Application's metadata.namespace is ${declared}, not ${choice.namespace} as -n says; drop -n or change the file`);
    }
    return { text, contentType, components: names };
  }
  if (choice.namespace === 'default' || !isMap(doc.get('metadata'))) return { text, contentType, components: names };
  doc.setIn(['metadata', 'namespace'], choice.namespace);
  return { text: doc.toString({ lineWidth: 0 }), contentType: 'application/yaml', components: names };
}
