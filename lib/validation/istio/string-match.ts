import { isSet, Reporter } from './common';
import { re2Problem } from './re2';

const MATCH_TYPES = ['exact', 'prefix', 'regex'] as const;

/**
 * Reports a `StringMatch` that sets more than one of exact/prefix/regex, an empty prefix where
 * Envoy refuses one, or a regex that is not RE2. An empty match (`{}`) is left alone: for headers it
 * means "present".
 */
export function checkStringMatch(r: Reporter, path: string, match: unknown, opts: { allowEmptyPrefix?: boolean } = {}): void {
  if (!isSet(match)) return;
  if (typeof match !== 'object' || Array.isArray(match)) {
    r.error(path, 'a string match must be an object with exactly one of exact, prefix or regex');
    return;
  }
  const m = match as Record<string, unknown>;
  const set = MATCH_TYPES.filter((k) => isSet(m[k]));
  if (set.length > 1) {
    r.error(path, `a string match takes exactly one of exact, prefix or regex, not ${set.join(' and ')}`);
    return;
  }
  if (set[0] === 'prefix' && m.prefix === '' && !opts.allowEmptyPrefix) r.error(`${path}.prefix`, 'prefix string match should not be empty');
  if (set[0] === 'regex') checkRegex(r, `${path}.regex`, m.regex);
}

/** Reports a regex that is empty or not RE2. */
export function checkRegex(r: Reporter, path: string, regex: unknown): void {
  if (typeof regex !== 'string' || regex === '') {
    r.error(path, 'regex string match should not be empty');
    return;
  }
  const problem = re2Problem(regex);
  if (problem) r.error(path, problem);
}
