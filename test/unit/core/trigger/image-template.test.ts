import { describe, expect, it } from 'vitest';
import { checkTemplate, isImageReference, parseTemplate, renderImage } from '../../../../lib/core/trigger/image-template.ts';

describe('image templates', () => {
  it('splits literal text and ${variables}', () => {
    expect(parseTemplate('ghcr.io/org/app:${shortSha}-${branch}')).toEqual([
      { text: 'ghcr.io/org/app:' },
      { variable: 'shortSha' },
      { text: '-' },
      { variable: 'branch' },
    ]);
    expect(parseTemplate('${image}')).toEqual([{ variable: 'image' }]);
    expect(parseTemplate('app:${env.IMAGE_TAG}')).toEqual([{ text: 'app:' }, { variable: 'env.IMAGE_TAG' }]);
    expect(parseTemplate('app:${sha')).toEqual({ problem: 'has a ${ without its closing }' });
    expect(parseTemplate('app:${1x}')).toEqual({ problem: '${1x} is not a variable name' });
  });

  it('refuses variables the events of a kind never carry, naming those they do', () => {
    expect(checkTemplate('ghcr.io/org/app:${sha}', 'github', 'push', 'image')).toEqual([]);
    const [issue] = checkTemplate('ghcr.io/org/app:${tag}', 'github', 'push', 'events[0].image');
    expect(issue?.path).toBe('events[0].image');
    expect(issue?.message).toMatch(/^github push events carry no \$\{tag\}; they carry \$\{sha\}, \$\{shortSha\}, \$\{branch\}, \$\{repository\}$/);
    expect(checkTemplate('app:${env.IMAGE_TAG}', 'eventbridge', 'codebuild', 'image')).toEqual([]);
    expect(checkTemplate('app:${env.IMAGE_TAG}', 'eventbridge', 'codepipeline', 'image')).toHaveLength(1);
    expect(checkTemplate('app:${sha', 'generic', 'push', 'image')[0]?.message).toBe('the image template has a ${ without its closing }');
  });

  it('renders with the event variables and checks the result is an image reference', () => {
    expect(renderImage('ghcr.io/org/app:${shortSha}', { shortSha: '6113728' })).toEqual({ ok: true, image: 'ghcr.io/org/app:6113728' });
    expect(renderImage('app:${tag}', { sha: 'x' })).toEqual({ ok: false, reason: 'the image template uses ${tag}, which this event does not carry' });
    const slashed = renderImage('ghcr.io/org/app:${branch}', { branch: 'feature/x' });
    expect(slashed).toEqual({ ok: false, reason: '"ghcr.io/org/app:feature/x" is not an image reference (name[:tag][@digest], lowercase name)' });
  });

  it('knows image references when it sees them', () => {
    for (const good of [
      'crccheck/hello-world',
      'nginx:1.27',
      'ghcr.io/codertocat/hello-world:nightly',
      'localhost:5000/team/app:v1',
      '123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name:latest',
      `registry.example.com/app@sha256:${'a'.repeat(64)}`,
      `app:v1@sha256:${'0'.repeat(64)}`,
    ]) {
      expect(isImageReference(good), good).toBe(true);
    }
    for (const bad of ['', 'Ghcr.io/Org/App:1', 'app:', 'app:-x', 'app name', 'app:${sha}', `app@sha256:${'a'.repeat(40)}`, `a:${'x'.repeat(129)}`]) {
      expect(isImageReference(bad), bad).toBe(false);
    }
  });
});
