import { CelEvaluator } from './cel';

/*
 * What compiled validators call for `x-kubernetes-validations`. It lives in its own module so
 * that validators cached as standalone code can `require` it by path.
 */

const evaluator = new CelEvaluator();

/** A rule of `x-kubernetes-validations`. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
}

/** The rules `data` breaks, each with the message to report. */
export function failedCelRules(rules: readonly CelRule[], data: unknown): Array<{ rule: string; message: string }> {
  const failed: Array<{ rule: string; message: string }> = [];
  for (const r of rules) {
    if (/\boldSelf\b/.test(r.rule)) continue; // transition rules do not apply on create
    const failure = evaluator.check(r.rule, data);
    if (failure) failed.push({ rule: r.rule, message: `${r.message ?? `failed rule: ${r.rule}`} (CEL: ${r.rule}; ${failure})` });
  }
  return failed;
}
