import { re2js } from '../re2-pattern';

/*
 * Istio matches regexes with RE2 (Envoy's safe_regex) and istiod compiles each one with Go's
 * regexp package, which has RE2's syntax. RE2JS is a JavaScript port of RE2 (through RE2/J, itself
 * ported from Go's parser), so a pattern it refuses is one istiod refuses. JavaScript's own RegExp
 * is no substitute: it accepts look-around, backreferences and more that RE2 does not.
 */

/** Istio refuses longer regexes (Envoy's program-size limit, approximated by length). */
export const MAX_REGEX_LENGTH = 1024;

// The constructs people bring from PCRE/JavaScript, named so the message says what to change.
const UNSUPPORTED: ReadonlyArray<[RegExp, string]> = [
  [/\(\?<[=!]/, 'look-behind'],
  [/\(\?[=!]/, 'look-ahead'],
  [/\\[1-9]|\\k</, 'a backreference'],
  [/[*+?}]\+/, 'a possessive quantifier'],
  [/\(\?>/, 'an atomic group'],
];

const cache = new Map<string, string | null>();
const CACHE_LIMIT = 10_000;

/**
 * Why `pattern` is not an RE2 regular expression Istio accepts, or `undefined` when it is.
 * Results are remembered: the same pattern recurs across routes and objects.
 */
export function re2Problem(pattern: string): string | undefined {
  const known = cache.get(pattern);
  if (known !== undefined) return known ?? undefined;
  const problem = computeProblem(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, problem ?? null);
  return problem;
}

function computeProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex is too large, max length allowed is ${MAX_REGEX_LENGTH}`;
  try {
    re2js().compile(pattern);
    return undefined;
  } catch (e) {
    const hint = UNSUPPORTED.find(([re]) => re.test(pattern));
    const detail = (e as Error).message;
    return `${JSON.stringify(pattern)} is not a valid RE2 regex${hint ? ` (${hint[1]} is not supported by RE2)` : ''}: ${detail}; Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax)`;
  }
}

