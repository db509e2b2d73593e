import * as z from 'zod';
import { GoDuration } from './go-duration.ts';

/** Most waves one rollout may have: each is a planner round trip and a line in status. */
export const MAX_WAVES = 20;

const wavePattern = /^(?:[1-9]\d{0,5}|(?:[1-9]\d?|100)%)$/;

/** One wave's cumulative size: a cluster count (`"1"`, or a number) or a percentage of the step's clusters (`"25%"`). */
export const WaveSize = z.union([z.int().min(1).transform(String), z.string()]).refine((text) => wavePattern.test(text), {
  error: 'expected a cluster count such as 1 or a percentage from 1% to 100% such as 25%',
});

const OrderEntry = z.string().refine((text) => /^[^=\s]+=[^=\s]*$/.test(text), { error: 'expected label=value, such as region=us-west' });

export const OnFailure = z.enum(['pause', 'rollback', 'continue'], { error: 'expected one of pause, rollback or continue' });

/**
 * A Flotilla extension of the `deploy` step: its clusters in cumulative waves, each gated on the health its clusters
 * report after their apply.
 */
export const RolloutProperties = z
  .strictObject({
    waves: z.array(WaveSize).min(1).max(MAX_WAVES),
    /** Clusters of one wave that may fail before the rollout stops. */
    maxUnavailableClusters: z.int().min(0).default(0),
    /**
     * How long a wave's clusters have to become healthy, from the wave's start, before the planner fails the ones
     * still waiting (so the wave fails and `onFailure` applies, rather than the whole step timing out).
     */
    waveTimeout: GoDuration.default('5m'),
    /** Soak time after a healthy wave before the next one starts. */
    pauseBetweenWaves: GoDuration.optional(),
    /** Suspend after each healthy wave until `workflow resume`. */
    approval: z.boolean().default(false),
    onFailure: OnFailure.default('pause'),
    /** Clusters whose label matches an earlier entry go into earlier waves; the rest follow, by name. */
    order: z.array(OrderEntry).max(50).optional(),
  })
  .superRefine((rollout, context) => {
    // Counts and percentages are each cumulative, so each must grow; a mix is compared once the cluster count is known.
    let lastCount = 0;
    let lastPercent = 0;
    rollout.waves.forEach((wave, index) => {
      const percent = wave.endsWith('%');
      const value = Number.parseInt(wave, 10);
      const last = percent ? lastPercent : lastCount;
      if (value <= last) {
        context.addIssue({ code: 'custom', path: ['waves', index], message: `waves are cumulative and must increase: ${wave} does not exceed ${last}${percent ? '%' : ''} given before it` });
      }
      if (percent) lastPercent = value;
      else lastCount = value;
    });
  });
export type RolloutProperties = z.infer<typeof RolloutProperties>;
