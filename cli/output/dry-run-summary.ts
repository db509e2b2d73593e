import type { DryRunResult } from '../../lib/core/dry-run/dry-run.ts';
import { describeObject } from '../../lib/core/object/kubernetes-object.ts';
import { resourceOwner } from '../../lib/core/render/oam-labels.ts';
import type { PlannedStep } from '../../lib/core/workflow/workflow-plan.ts';
import type { Colors } from './terminal.ts';

/** The dry run for people: steps in order, and under each place the objects it would apply and what they come from. */
export function dryRunSummary(result: DryRunResult, colors: Colors): string {
  const { plan } = result;
  const lines = [
    `${colors.bold(`Application ${plan.app.name}`)} in namespace ${plan.app.namespace}, revision ${plan.revision}`,
    `Workflow mode: ${plan.mode}`,
  ];
  for (const step of plan.steps) {
    lines.push('', colors.bold(`Step ${step.name}`) + colors.dim(` (${step.type}, id ${step.id}${step.timeout === undefined ? '' : `, timeout ${step.timeout}`})`));
    if (step.type === 'suspend') lines.push(`  ${suspendNote(step)}`);
    if (step.type === 'deploy' && step.placements.length === 0) lines.push('  no cluster selected');
    for (const placement of step.placements) {
      lines.push(`  ${colors.cyan(placement.cluster)}, namespace ${placement.namespace}${placement.createNamespace ? ' (created if missing)' : ''}`);
      for (const object of placement.resources) {
        const owner = resourceOwner(object);
        const origin = owner === undefined ? '' : owner.resourceType === 'WORKLOAD' ? `${owner.component} (${owner.workloadType})` : `${owner.component} ${owner.traitType}/${owner.traitResource}`;
        lines.push(`    ${describeObject(object)}${colors.dim(`  <- ${origin}`)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function suspendNote(step: Extract<PlannedStep, { type: 'suspend' }>): string {
  const until = step.properties.duration === undefined ? 'waits until resumed' : `waits ${step.properties.duration} or until resumed`;
  return step.properties.message === undefined ? until : `${until}: ${step.properties.message}`;
}
