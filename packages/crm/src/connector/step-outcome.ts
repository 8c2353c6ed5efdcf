import type { StepResult } from './steps.ts';

export type StepOutcome =
  | { readonly kind: 'done'; readonly result: StepResult; readonly detail: string }
  | { readonly kind: 'skipped'; readonly detail: string };
