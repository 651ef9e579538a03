/**
 * `pattern`s of upstream schemas are Go RE2 expressions; JavaScript's RegExp rejects some of their
 * syntax (inline flags such as Prometheus Operator's `^(?i)(abort|warn)?$`, `\z`, `(?P<name>…)`,
 * POSIX classes). Each is translated deliberately:
 *
 * - `(?i)`, `(?s)`, `(?m)` and `(?flags:…)` become flags of the whole expression. A flag that RE2
 *   scopes to part of the expression is thereby widened to all of it: the check may accept a value
 *   the API server refuses (never the reverse), which is the safe direction for a pre-flight check.
 * - `\A` → `^`, `\z` → `$`, `(?P<name>` → `(?<name>`, `[[:alpha:]]`-style classes → ranges,
 *   `\Q…\E` → escaped literal.
 *
 * A pattern that still does not compile is not enforced (it matches everything), rather than
 * failing every object of the kind; {@link untranslatablePatterns} lists them for the tests.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const MATCH_ALL = /[\s\S]*/;
const failed = new Set<string>();

/** The JavaScript source and flags equivalent to (or, for scoped flags, wider than) RE2 `pattern`. */
export function translateRe2(pattern: string): { source: string; flags: string } {
  const flags = new Set<string>();
  let source = pattern
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, literal: string) => literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, negated: string, name: string) => (POSIX_CLASSES[name] && !negated ? POSIX_CLASSES[name] : m))
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  // Inline flags: `(?is)` anywhere, and `(?i:` groups, which become plain non-capturing groups.
  source = source.replace(/\(\?([imsU]+)\)/g, (_m, f: string) => {
    for (const c of f) if (c !== 'U') flags.add(c);
    return '';
  }).replace(/\(\?([imsU]+):/g, (_m, f: string) => {
    for (const c of f) if (c !== 'U') flags.add(c);
    return '(?:';
  });
  return { source, flags: [...flags].sort().join('') };
}

/**
 * Ajv's `code.regExp`: compiles a schema pattern with RE2 syntax translated. Its `code` property
 * is how generated validators (cached as standalone modules) require it.
 */
export function re2RegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    // not JavaScript syntax: translate
  }
  const translated = translateRe2(pattern);
  try {
    return new RegExp(translated.source, [...new Set(flags + translated.flags)].join(''));
  } catch {
    failed.add(pattern);
    return MATCH_ALL;
  }
}
re2RegExp.code = `require(${JSON.stringify(__filename)}).re2RegExp`;

/** RE2 patterns met so far that could not be translated (and so are not enforced). */
export function untranslatablePatterns(): string[] {
  return [...failed];
}
