/**
 * Rising-rate series: measures one step per target rate, prints a Markdown row per step
 * (ready for docs/benchmarks.md) and stops once the system is clearly past its limit.
 */
import type { StepResult } from './sipp-step.ts';

/**
 * A step is sustained when fewer than 0.1 % of its calls failed and sipp kept up at least
 * 90 % of the target rate (with `-l` bounding calls in flight, an overloaded system slows
 * sipp down before it makes calls fail). Stepping stops above 1 % failed, or once sipp
 * managed less than 70 % of the target: higher targets would only take longer to say so.
 */
const sustainedFailureRatio = 0.001;
const sustainedRateRatio = 0.9;
const stopFailureRatio = 0.01;
const stopRateRatio = 0.7;

const failedRatio = (step: StepResult) => (step.attempted === 0 ? 1 : step.failed / step.attempted);

export function isSustained(step: StepResult): boolean {
  return (
    step.attempted > 0 &&
    failedRatio(step) < sustainedFailureRatio &&
    step.attemptedPerSecond >= step.rate * sustainedRateRatio
  );
}

/** The step with the highest target rate that was sustained. */
export function highestSustained(steps: readonly StepResult[]): StepResult | undefined {
  return steps.filter(isSustained).at(-1);
}

export async function runSeries(
  title: string,
  rates: readonly number[],
  measure: (rate: number) => Promise<StepResult>,
  /** A line on the system under test after each step, e.g. Provod's event-loop delay. */
  afterStep?: () => string,
): Promise<StepResult[]> {
  console.log(`\n${title}\n`);
  console.log(
    '| target / s | attempted / s | succeeded / s | calls | failed % | CPU % | CPU ms / call | memory MiB | UDP drops |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const steps: StepResult[] = [];
  for (const rate of rates) {
    const step = await measure(rate);
    steps.push(step);
    console.log(
      `| ${rate} | ${Math.round(step.attemptedPerSecond)} | ${Math.round(step.succeededPerSecond)} | ` +
        `${step.attempted} | ${(failedRatio(step) * 100).toFixed(2)} | ${Math.round(step.cpuPercent)} | ` +
        `${step.cpuMsPerCall.toFixed(2)} | ${Math.round(step.memoryMiB)} | ${step.udpDrops} |`,
    );
    const note = afterStep?.();
    if (note !== undefined) console.log(`  ${note}`);
    if (step.failed > 0) console.error(`  failed at ${rate}/s: ${step.failureCauses}`);
    if (step.unexpected.length > 0) {
      console.error(`  unexpected messages at ${rate}/s:\n${step.unexpected.join('\n')}`);
    }
    if (failedRatio(step) > stopFailureRatio || step.attemptedPerSecond < rate * stopRateRatio) {
      break;
    }
  }
  const best = highestSustained(steps);
  const fastest = Math.max(
    0,
    ...steps
      .filter((step) => step.attempted > 0 && failedRatio(step) < sustainedFailureRatio)
      .map((step) => step.succeededPerSecond),
  );
  console.log(
    best
      ? `\nHighest sustained step: ${best.rate}/s (< 0.1 % failed, sipp kept 90 % of the rate); ` +
          `most succeeded / s in any step under 0.1 % failed: ${Math.round(fastest)}.`
      : '\nNo step was sustained.',
  );
  return steps;
}
