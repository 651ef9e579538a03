import * as path from 'path';
import { DigestSetFile } from '../core/digest-set-file';
import { PortableCheck } from '../validation/finding';
import { checksCacheKey } from './checks-cache-key';

/**
 * Digests of objects on which a set of per-object checks found nothing, remembered between runs:
 * a re-synth checks only the objects that changed. Keyed by the checks (their construction
 * arguments and {@link PortableCheck.verdictKey}) and the library's code, so a change to any of
 * them starts over; an object with any finding, even a warning, is never remembered.
 */
export class CleanObjectCache {
  /** The cache for `checks` in `dir`, or none without a cache directory or when a check cannot be keyed. */
  public static open(dir: string | null | undefined, checks: readonly PortableCheck[]): CleanObjectCache | undefined {
    const key = checksCacheKey(checks);
    if (!dir || !key) return undefined;
    return new CleanObjectCache(new DigestSetFile(path.join(dir, `clean-objects-${key.digest('hex')}.txt`)));
  }

  private constructor(private readonly digests: DigestSetFile) {}

  /** Reads the digests now rather than at the first object (as the YAML cache's `warm`). */
  public warm(): void {
    this.digests.warm();
  }

  /** True when the object with this digest was found clean before. */
  public has(digest: string): boolean {
    return this.digests.has(digest);
  }

  /** Remembers an object found clean. */
  public add(digest: string): void {
    this.digests.add(digest);
  }

  /** Saves the digests added (see {@link DigestSetFile.persist}). */
  public persist(): void {
    this.digests.persist();
  }
}
