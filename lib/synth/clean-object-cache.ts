import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { markCacheFileUsed, writeCacheFile } from '../core/cache-dir';
import { libraryCodeVersion } from '../core/code-version';
import { PortableCheck } from '../validation/finding';

/** Most object digests kept (~3 MB). */
const LIMIT = 100_000;

/**
 * Digests of objects on which a set of per-object checks found nothing, remembered between runs:
 * a re-synth checks only the objects that changed. Keyed by the checks (their construction
 * arguments and {@link PortableCheck.verdictKey}) and the library's code, so a change to any of
 * them starts over; an object with any finding, even a warning, is never remembered.
 */
export class CleanObjectCache {
  /** The cache for `checks` in `dir`, or none without a cache directory or when a check cannot be keyed. */
  public static open(dir: string | null | undefined, checks: readonly PortableCheck[]): CleanObjectCache | undefined {
    if (!dir || checks.length === 0 || checks.some((c) => !c.threadFactory)) return undefined;
    const key = createHash('sha1').update(libraryCodeVersion());
    for (const check of checks) key.update('\0').update(JSON.stringify(check.threadFactory)).update('\0').update(check.verdictKey ?? '');
    return new CleanObjectCache(path.join(dir, `clean-objects-${key.digest('hex')}.txt`));
  }

  private known?: Set<string>;
  private added = 0;

  private constructor(private readonly file: string) {}

  /** Reads the digests now rather than at the first object (as the YAML cache's `warm`). */
  public warm(): void {
    this.load();
  }

  /** True when the object with this digest was found clean before. */
  public has(digest: string): boolean {
    return this.load().has(digest);
  }

  /** Remembers an object found clean. */
  public add(digest: string): void {
    const known = this.load();
    if (known.has(digest)) return;
    known.add(digest);
    this.added++;
  }

  /** Writes the digests when anything was added (newest last, the oldest dropped beyond the limit). */
  public persist(): void {
    if (this.added === 0) return;
    const entries = [...this.load()];
    writeCacheFile(this.file, entries.slice(Math.max(0, entries.length - LIMIT)).join('\n'));
    this.added = 0;
  }

  private load(): Set<string> {
    if (!this.known) {
      try {
        this.known = new Set(fs.readFileSync(this.file, 'utf8').split('\n').filter((line) => line.length === 28));
        markCacheFileUsed(this.file);
      } catch {
        this.known = new Set();
      }
    }
    return this.known;
  }
}
