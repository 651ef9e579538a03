
/**
 * `pattern`s of upstream schemas are Go RE2 expressions; JavaScript's RegExp rejects some of their
 * syntax (inline flags such as Prometheus Operator's `^(?i)(abort|warn)?$`, `\z`, `(?P<name>…)`,
 * POSIX classes). Such a pattern is compiled with RE2JS, a JavaScript port of RE2, so it is
 * enforced with exactly the server's semantics; patterns JavaScript reads (nearly all) keep the
 * faster native RegExp. A pattern neither compiles is not enforced (it matches everything) rather
 * than failing every object of the kind; {@link unenforcedPatterns} lists them.
 */

const MATCH_ALL = /[\s\S]*/;
const failed = new Set<string>();

/**
 * Ajv's `code.regExp`: compiles a schema pattern, natively or as RE2. Its `code` property is how
 * generated validators (cached as standalone modules) require it.
 */
export function re2RegExp(pattern: string, flags: string): { test(input: string): boolean } {
  try {
    return new RegExp(pattern, flags);
  } catch {
    // not JavaScript syntax: RE2's own
  }
  try {
    const re2 = re2js().compile(pattern);
    return { test: (input: string) => re2.test(input) };
  } catch {
    failed.add(pattern);
    return MATCH_ALL;
  }
}
re2RegExp.code = `require(${JSON.stringify(__filename)}).re2RegExp`;

/** Patterns met so far that neither JavaScript nor RE2 compiles (and so are not enforced). */
export function unenforcedPatterns(): string[] {
  return [...failed];
}

/** RE2JS, loaded on first use (most runs never compile an RE2-only pattern). */
export function re2js(): typeof import('re2js').RE2JS {
  return (require('re2js') as typeof import('re2js')).RE2JS;
}
