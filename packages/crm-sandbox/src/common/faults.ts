/**
 * What a sandbox does instead of answering normally, so tests can watch the connector
 * survive a CRM that is down, slow, throttling or has revoked its tokens.
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'token_expired' };

export interface FaultRule {
  /** Applies to requests whose path starts with this prefix ('' = every request). */
  readonly pathPrefix: string;
  readonly fault: Fault;
  /** How many matching requests it still affects; undefined = until cleared. */
  remaining?: number;
}

/**
 * The faults a test asked a sandbox to inject, consumed request by request in the order
 * they were added. Each sandbox decides what a `rate_limited` or `token_expired` fault
 * looks like on its wire, because the vendors' error shapes differ.
 */
export class FaultPlan {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** The fault for this request, if any; a counted rule is used up by taking it. */
  take(path: string): Fault | undefined {
    const index = this.rules.findIndex((rule) => path.startsWith(rule.pathPrefix));
    const rule = this.rules[index];
    if (rule === undefined) return undefined;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules.splice(index, 1);
    }
    return rule.fault;
  }
}
