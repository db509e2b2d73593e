import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { expect, test } from 'vitest';
import { defaultSettings, settingsFromContext } from '../../infra/settings.ts';

const fromContext = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

test('no context: the defaults and the stack name Flotilla', () => {
  expect(fromContext({})).toEqual({ stackName: 'Flotilla', settings: defaultSettings });
});

test('values given with -c arrive as strings and are converted', () => {
  const { stackName, settings } = fromContext({
    'flotilla:stackName': 'FlotillaStaging',
    'flotilla:applierConcurrency': '40',
    'flotilla:refreshMinutes': '1',
    'flotilla:logRetentionDays': '90',
    'flotilla:alarmEmail': 'ops@example.com',
  });
  expect(stackName).toBe('FlotillaStaging');
  expect(settings).toMatchObject({ applierConcurrency: 40, refreshMinutes: 1, logRetention: RetentionDays.THREE_MONTHS, alarmEmail: 'ops@example.com' });
});

test('wrong values are refused with the context key', () => {
  expect(() => fromContext({ 'flotilla:logRetentionDays': '10' })).toThrow(/flotilla:logRetentionDays: must be a retention CloudWatch Logs offers/);
  expect(() => fromContext({ 'flotilla:applierConcurrency': '2' })).toThrow(/flotilla:applierConcurrency/);
  expect(() => fromContext({ 'flotilla:alarmEmail': 'ops' })).toThrow(/flotilla:alarmEmail/);
  expect(() => fromContext({ 'flotilla:stackName': 'my stack' })).toThrow(/flotilla:stackName/);
});

test('a cluster endpoint allow-list is checked at synth with the reason the functions would give', () => {
  expect(fromContext({ 'flotilla:clusterEndpointAllow': '10.0.0.0/8, *.eks.amazonaws.com' }).settings.clusterEndpointAllow).toBe('10.0.0.0/8, *.eks.amazonaws.com');
  expect(() => fromContext({ 'flotilla:clusterEndpointAllow': '10.0.0.0/33' })).toThrow(/flotilla:clusterEndpointAllow: /);
});
