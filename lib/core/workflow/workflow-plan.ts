import type { KubernetesObject } from '../object/kubernetes-object.ts';
import type { DeployStepProperties } from './deploy-step.ts';
import type { NotificationStepProperties, WebhookStepProperties } from './notification-step.ts';
import type { StepCondition } from './step-condition.ts';
import type { SuspendStepProperties } from './suspend-step.ts';

/** v1.3's rule: generated steps run as a DAG (all at once), declared steps one after another. */
export type WorkflowMode = 'StepByStep' | 'DAG';

/** A component as placed in a cluster; its objects are the placement's resources labelled with its name. */
export interface PlacedComponent {
  name: string;
  type: string;
  /** Trait types, in order; traits such as scaler render no object of their own but still report health. */
  traits: string[];
  dependsOn: string[];
}

export interface PlannedPlacement {
  cluster: string;
  /** The namespace the topology names, or else the app's; objects carry their own in metadata.namespace. */
  namespace: string;
  /** Flotilla extension: create `namespace` in the cluster before applying (topology `createNamespace`). */
  createNamespace: boolean;
  components: PlacedComponent[];
  /** Every rendered object, in apply order, each with the OAM labels naming its component, trait and output. */
  resources: KubernetesObject[];
}

interface StepCommon {
  /** 10 characters from [a-z1-9], stable for the same app and step name (see stepId). */
  id: string;
  name: string;
  /** Names of steps that must succeed first. */
  dependsOn: string[];
  /** Go duration from the step's `timeout`, with its value in seconds. */
  timeout?: string;
  timeoutSeconds?: number;
  /** The step's `if`: when it runs (none: only when no earlier step failed). */
  condition?: StepCondition;
  placements: PlannedPlacement[];
}

export interface PlannedDeployStep extends StepCommon {
  type: 'deploy';
  properties: DeployStepProperties;
}

export interface PlannedSuspendStep extends StepCommon {
  type: 'suspend';
  properties: SuspendStepProperties;
  /** `properties.duration` in seconds: resume by itself after that long. */
  durationSeconds?: number;
}

/** Posts a message to Slack and/or a signed webhook; its outcome never fails the run. */
export interface PlannedNotificationStep extends StepCommon {
  type: 'notification';
  properties: NotificationStepProperties;
}

/** Posts the application context to a URL. */
export interface PlannedWebhookStep extends StepCommon {
  type: 'webhook';
  properties: WebhookStepProperties;
}

export type PlannedStep = PlannedDeployStep | PlannedSuspendStep | PlannedNotificationStep | PlannedWebhookStep;

export interface WorkflowPlan {
  app: { name: string; namespace: string };
  revision: string;
  mode: WorkflowMode;
  steps: PlannedStep[];
}
