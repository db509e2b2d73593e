import { inject } from 'vitest';

/**
 * Points the functions' AWS clients at moto through the standard endpoint variables (as `npm start` with
 * FLOTILLA_BACKEND=external does) and clears the credential-sealing settings an earlier suite in this process may
 * have left. Returns moto's endpoint.
 */
export function pointFunctionsAtMoto(): string {
  const moto = inject('motoEndpoint');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: moto,
    AWS_ENDPOINT_URL_SQS: moto,
    AWS_ENDPOINT_URL_KMS: moto,
    AWS_ACCESS_KEY_ID: 'flotilla-test',
    AWS_SECRET_ACCESS_KEY: 'flotilla-test',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  for (const name of ['AWS_SESSION_TOKEN', 'CREDENTIALS_KMS_KEY_ID', 'CREDENTIALS_KEY_FILE']) delete process.env[name];
  return moto;
}
