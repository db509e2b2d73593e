import * as z from 'zod';

/** Where a trigger's events come from: a webhook of one of three kinds, or the AWS account's EventBridge bus. */
export const TriggerSource = z.enum(['github', 'gitlab', 'generic', 'eventbridge']);
export type TriggerSource = z.infer<typeof TriggerSource>;

/** Sources that post to `/hooks/<source>/<triggerId>` and prove themselves with a per-trigger secret. */
export const webhookSources = ['github', 'gitlab', 'generic'] as const satisfies readonly TriggerSource[];
export type WebhookSource = (typeof webhookSources)[number];

export function isWebhookSource(source: TriggerSource): source is WebhookSource {
  return (webhookSources as readonly TriggerSource[]).includes(source);
}

const patterns = (what: string) =>
  z
    .array(z.string().min(1).max(255))
    .min(1)
    .max(50)
    .optional()
    .meta({ description: `${what}: exact names or patterns where * stands for any characters (release/*, v*). Absent: any.` });

/** How to form the image; `${name}` inserts a variable of the event (docs/triggers.md lists them). */
export const ImageTemplate = z
  .string()
  .min(1)
  .max(512)
  .meta({ description: 'The image to deploy, with ${variables} of the event: ghcr.io/org/app:${sha}, ${image}.' });

const image = ImageTemplate.optional();

/**
 * One kind of event a trigger acts on, with the filters the event must pass. Kinds are the words: a push to a
 * branch, a tag, a package published, a pipeline or workflow that succeeded, an image pushed, a build that succeeded.
 */
export const EventRule = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('push'), branches: patterns('Branches'), image }),
  z.strictObject({ on: z.literal('tag'), tags: patterns('Tags'), image }),
  z.strictObject({ on: z.literal('package'), packages: patterns('Package names'), image }),
  z.strictObject({ on: z.literal('workflow'), workflows: patterns('Workflow names'), branches: patterns('Branches'), image }),
  z.strictObject({ on: z.literal('pipeline'), branches: patterns('Branches'), image }),
  z.strictObject({ on: z.literal('image'), repositories: patterns('Image repositories'), tags: patterns('Image tags'), image }),
  z.strictObject({ on: z.literal('codepipeline'), pipelines: patterns('CodePipeline pipelines'), image }),
  z.strictObject({ on: z.literal('codebuild'), projects: patterns('CodeBuild projects'), image }),
]);
export type EventRule = z.infer<typeof EventRule>;
export type EventKind = EventRule['on'];

/** Which kinds each source can deliver. */
export const kindsBySource: Record<TriggerSource, readonly EventKind[]> = {
  github: ['push', 'tag', 'package', 'workflow'],
  gitlab: ['push', 'tag', 'pipeline'],
  generic: ['push', 'tag', 'image'],
  eventbridge: ['image', 'codepipeline', 'codebuild'],
};

/** The filter fields of the rules, each with the event subject it is compared with. */
export const ruleFilters = {
  branches: 'branch',
  tags: 'tag',
  packages: 'package',
  workflows: 'workflow',
  repositories: 'repository',
  pipelines: 'pipeline',
  projects: 'project',
} as const;
export type RuleFilter = keyof typeof ruleFilters;
export type EventSubject = (typeof ruleFilters)[RuleFilter];

/** The filters a rule sets, as [field, patterns] pairs. */
export function filtersOf(rule: EventRule): [RuleFilter, string[]][] {
  return (Object.keys(ruleFilters) as RuleFilter[]).flatMap((field) => {
    const value = (rule as Partial<Record<RuleFilter, string[]>>)[field];
    return value === undefined ? [] : [[field, value] as [RuleFilter, string[]]];
  });
}

/**
 * `*` stands for any run of characters (slashes included); everything else (`?` too) is literal.
 *
 * Hand-written rather than a regular expression or a library: the old `^a.*b.*c$` regular expression backtracked
 * (`*-*-*-*-*-*-*-*-*-*-x` took 10 s against a 40-character subject), and this is the classic greedy two-pointer
 * wildcard match, O(pattern × subject) in the worst case with no allocation: a 30-star glob against a 255-character
 * subject takes well under a millisecond (`npm run bench:patterns`). A linear regex engine would do the same work
 * behind a compile step and an automaton, for a language with one operator.
 */
export function matchesPattern(value: string, pattern: string): boolean {
  let v = 0;
  let p = 0;
  let starAt = -1; // position in the pattern just after the last `*` seen
  let resumeAt = 0; // where in the value that `*` currently stops
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starAt = ++p;
      resumeAt = v;
    } else if (p < pattern.length && pattern[p] === value[v]) {
      p += 1;
      v += 1;
    } else if (starAt >= 0) {
      // Let the last `*` take one more character and retry the rest of the pattern from there. Earlier stars need no
      // revisiting: whatever the last one can reach covers what they could.
      p = starAt;
      resumeAt += 1;
      v = resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** EventBridge delivers every matching event of the account, so each of its rules must name what it listens to. */
export const eventBridgeRequiredFilters: Partial<Record<EventKind, RuleFilter>> = {
  image: 'repositories',
  codepipeline: 'pipelines',
  codebuild: 'projects',
};
