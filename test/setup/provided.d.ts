// Values the integration/e2e global setup hands to tests through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** moto server on loopback, serving DynamoDB, SQS and KMS. */
    motoEndpoint: string;
    /** Member cluster name -> absolute path of its admin kubeconfig. */
    clusterKubeconfigs: Record<string, string>;
  }
}
export {};
