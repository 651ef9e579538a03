import * as fs from 'fs';
import * as path from 'path';
import { SerializedManifests } from './serialized-manifests';
import { dumpManifest, YamlCache } from './yaml-cache';

/** Serializes objects as a multi-document YAML stream (through `cache` when given). */
export function toYamlStream(manifests: readonly unknown[] | SerializedManifests, cache?: YamlCache): string {
  const file = manifests instanceof SerializedManifests ? manifests : SerializedManifests.fromObjects(manifests);
  const documents: string[] = [];
  for (let i = 0; i < file.length; i++) {
    const digest = cache ? file.digest(i) : undefined;
    documents.push(digest !== undefined ? cache!.dumpDigested(digest, () => file.manifest(i)) : dumpManifest(file.manifest(i)));
  }
  return documents.join('---\n');
}

/**
 * A sibling directory of `outdir` that output is written into first and then swapped in by
 * rename, so a failure at any point before {@link StagedDirectory.commit} leaves the previous
 * `outdir` as it was.
 */
export class StagedDirectory {
  /** Creates an empty staging directory next to `outdir`. */
  public static create(outdir: string): StagedDirectory {
    const target = path.resolve(outdir);
    const parent = path.dirname(target);
    fs.mkdirSync(parent, { recursive: true });
    return new StagedDirectory(target, fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`)));
  }

  private constructor(
    /** The directory that {@link commit} replaces. */
    public readonly target: string,
    /** Where files are written until then. */
    public readonly path: string,
  ) {}

  /** Replaces the target with the staged files in one rename. */
  public commit(): void {
    const previous = `${this.path}.previous`;
    const hadPrevious = fs.existsSync(this.target);
    if (hadPrevious) fs.renameSync(this.target, previous);
    try {
      fs.renameSync(this.path, this.target);
    } catch (e) {
      if (hadPrevious) fs.renameSync(previous, this.target);
      throw e;
    }
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  }

  /** Removes whatever is still staged (nothing after a commit). */
  public discard(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}

/** Replaces `outdir` with exactly `files` (relative path → content) in one step. */
export function publishDirectory(outdir: string, files: ReadonlyMap<string, string>): void {
  const staged = StagedDirectory.create(outdir);
  try {
    writeTree(staged.path, files);
    staged.commit();
  } finally {
    staged.discard();
  }
}

/** Writes `files` under `dir` (created when missing), leaving other files alone. */
export function writeTree(dir: string, files: Iterable<readonly [string, string]>): void {
  const dirs = new Set<string>();
  for (const [rel, content] of files) writeFileCreatingDir(dir, rel, content, dirs);
}

/**
 * Writes one file under `dir`; `knownDirs` remembers directories already created. When the same
 * file under `previousDir` (the output being replaced) has exactly this content, it is hard-linked
 * instead: most files of a re-synth are unchanged, and on ext4 a link costs 1/20 of writing the
 * file (and removing the replaced output then frees no data). Output files are never modified in
 * place, so sharing them is safe.
 */
export function writeFileCreatingDir(dir: string, rel: string, content: string, knownDirs: Set<string>, previousDir?: string): void {
  const file = path.join(dir, rel);
  const fileDir = path.dirname(file);
  if (!knownDirs.has(fileDir)) {
    fs.mkdirSync(fileDir, { recursive: true });
    knownDirs.add(fileDir);
  }
  if (previousDir !== undefined) {
    const previous = path.join(previousDir, rel);
    try {
      if (fs.readFileSync(previous, 'utf8') === content) {
        fs.linkSync(previous, file);
        return;
      }
    } catch {
      // no such previous file, or links not supported here: write it
    }
  }
  fs.writeFileSync(file, content);
}
