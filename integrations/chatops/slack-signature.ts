import type { TimestampedScheme } from '../webhooks/signature.ts';

/**
 * Slack's request signing (api.slack.com, "Verifying requests from Slack"): X-Slack-Signature is
 * v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>" under the app's signing secret>, X-Slack-Request-Timestamp the Unix
 * time it was sent. Slack asks receivers to refuse requests more than five minutes old; Flotilla also refuses a
 * signature it has already seen within those five minutes.
 */
export const slackSignature: TimestampedScheme = {
  signatureName: 'X-Slack-Signature',
  signatureHeader: 'x-slack-signature',
  timestampHeader: 'x-slack-request-timestamp',
  prefix: 'v0=',
  windowSeconds: 300,
  signed: (timestamp, body) => ['v0:', timestamp, ':', body],
  covers: 'v0:<timestamp>:<body>',
};
