import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { markCacheFileUsed, outputCacheKey, writeCacheFile } from '../core/cache-dir';

/** What an output file held when it was last written or linked, and which file that was. */
interface FileState {
  /** {@link OutputFileStates.key} of its content. */
  readonly key: string;
  /** The file's identity then: inode, size and modification time (as git's index keeps them). */
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * What each file of one output directory held when a synth last wrote or linked it: a key of what
 * decides its content (its objects' digests, under one version of the YAML writer) and the file's
 * identity then. Why: a re-synth links each unchanged file from the output it replaces, and
 * knowing that it is unchanged used to mean reading and comparing it, 15 MB at 13,000 objects
 * (~0.2 s of the output worker, most of it allocating what was read). A file whose identity has
 * changed since (edited by hand, replaced) or that is not recorded is compared by content as before.
 */
export class OutputFileStates {
  /**
   * The states of files written to `outdir`, for YAML written by writer version `version`, or none
   * without a cache directory.
   */
  public static open(cacheDir: string | null, outdir: string, version: string): OutputFileStates | undefined {
    if (!cacheDir) return undefined;
    return new OutputFileStates(path.join(cacheDir, `files-${version}-${outputCacheKey(outdir)}.json`));
  }

  /**
   * The key of a file's content from its objects' digests (in order), or undefined when an object
   * has none (a value that is not an object: compared by content instead).
   */
  public static key(digests: ReadonlyArray<string | undefined>): string | undefined {
    if (digests.some((d) => d === undefined)) return undefined;
    return createHash('sha1').update(digests.join('\n')).digest('base64');
  }

  private previous?: Map<string, FileState>;
  private readonly next = new Map<string, FileState>();

  private constructor(private readonly file: string) {}

  /**
   * The identity of `previousFile` (file `rel` of the output being replaced) when it is the very
   * file recorded for `rel` and that held content of `key`; undefined when that is not known.
   */
  public unchanged(rel: string, key: string, previousFile: string): fs.Stats | undefined {
    const state = this.load().get(rel);
    if (state === undefined || state.key !== key) return undefined;
    try {
      const stat = fs.statSync(previousFile);
      return stat.ino === state.ino && stat.size === state.size && stat.mtimeMs === state.mtimeMs ? stat : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records that file `rel`, now `stat`, holds content of `key`. */
  public record(rel: string, key: string, stat: fs.Stats): void {
    this.next.set(rel, { key, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs });
  }

  /** Saves the files recorded by this run (files of earlier runs not written again are dropped). */
  public persist(): void {
    if (this.next.size > 0) writeCacheFile(this.file, JSON.stringify([...this.next]));
  }

  private load(): Map<string, FileState> {
    if (!this.previous) {
      this.previous = new Map();
      try {
        const entries: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
        markCacheFileUsed(this.file);
        if (Array.isArray(entries)) {
          for (const entry of entries) {
            if (Array.isArray(entry) && typeof entry[0] === 'string' && isState(entry[1])) this.previous.set(entry[0], entry[1]);
          }
        }
      } catch {
        // nothing recorded yet, or unreadable: every file is compared by content
      }
    }
    return this.previous;
  }
}

function isState(value: any): value is FileState {
  return typeof value?.key === 'string' && typeof value.ino === 'number' && typeof value.size === 'number' && typeof value.mtimeMs === 'number';
}
