import * as fs from 'fs';
import * as path from 'path';
import { appendCacheFile, markCacheFileUsed, writeCacheFile } from '../core/cache-dir';
import { PortableCheck } from '../validation/finding';
import { checksCacheKey } from './checks-cache-key';

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
    const key = checksCacheKey(checks);
    if (!dir || !key) return undefined;
    return new CleanObjectCache(path.join(dir, `clean-objects-${key.digest('hex')}.txt`));
  }

  private known?: Set<string>;
  /** Digests added by this run, not yet saved. */
  private added: string[] = [];
  /** Lines the file had when read (an upper bound on what it holds). */
  private lines = 0;

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
    this.added.push(digest);
  }

  /**
   * Saves the digests added: appended to the file (an edit adds a few: rewriting 100,000 cost more
   * than checking them), or, once the file would pass {@link LIMIT} lines, rewritten with the
   * newest {@link LIMIT}. A line cut short is not 28 characters long and is dropped when read.
   */
  public persist(): void {
    if (this.added.length === 0) return;
    if (this.lines + this.added.length <= LIMIT) {
      appendCacheFile(this.file, `\n${this.added.join('\n')}\n`);
      this.lines += this.added.length;
    } else {
      const entries = [...this.load()].slice(-LIMIT);
      writeCacheFile(this.file, `${entries.join('\n')}\n`);
      this.lines = entries.length;
    }
    this.added = [];
  }

  private load(): Set<string> {
    if (!this.known) {
      try {
        const lines = fs.readFileSync(this.file, 'utf8').split('\n');
        this.lines = lines.length;
        this.known = new Set(lines.filter((line) => line.length === 28));
        markCacheFileUsed(this.file);
      } catch {
        this.known = new Set();
      }
    }
    return this.known;
  }
}
