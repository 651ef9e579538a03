import * as path from 'path';
import { DigestSetFile } from '../core/digest-set-file';
import { PortableCheck } from '../validation/finding';
import { checksCacheKey } from './checks-cache-key';

/**
 * Digests of objects on which a set of per-object checks found nothing, remembered between runs:
 * a re-synth checks only the objects that changed. Keyed by the checks (their construction
 * arguments and {@link PortableCheck.verdictKey}) and the library's code, so a change to any of
 * them starts over; an object with any finding, even a warning, is never remembered. None without a
 * cache directory or when a check cannot be keyed.
 */
export function openCleanObjectCache(dir: string | null | undefined, checks: readonly PortableCheck[]): DigestSetFile | undefined {
  const key = checksCacheKey(checks);
  if (!dir || !key) return undefined;
  return new DigestSetFile(path.join(dir, `clean-objects-${key.digest('hex')}.txt`));
}
