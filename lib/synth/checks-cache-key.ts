import { createHash, Hash } from 'crypto';
import { libraryCodeVersion } from '../core/code-version';
import { PortableCheck } from '../validation/finding';

/**
 * What decides the verdicts of `checks` besides the objects: the library's code, each check's
 * construction arguments ({@link PortableCheck.threadFactory}) and {@link PortableCheck.verdictKey}.
 * The caches of verdicts are keyed by it, so a change to any of them starts over. Undefined when a
 * check cannot be keyed (it has no thread factory), or there are no checks.
 */
export function checksCacheKey(checks: readonly PortableCheck[]): Hash | undefined {
  if (checks.length === 0 || checks.some((c) => !c.threadFactory)) return undefined;
  const key = createHash('sha1').update(libraryCodeVersion());
  for (const check of checks) key.update('\0').update(JSON.stringify(check.threadFactory)).update('\0').update(check.verdictKey ?? '');
  return key;
}
