import * as fs from 'fs';
import * as path from 'path';
import type { OutputFileStates } from './output-file-states';
import { SerializedManifests } from './serialized-manifests';
import { yamlDocuments, YamlCache } from './yaml-cache';

/** Serializes objects as a multi-document YAML stream (through `cache` when given). */
export function toYamlStream(manifests: readonly unknown[] | SerializedManifests, cache?: YamlCache): string {
  const file = manifests instanceof SerializedManifests ? manifests : SerializedManifests.fromObjects(manifests);
  return Buffer.concat(yamlDocuments(file, cache)).toString('utf8');
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
 * place, so sharing them is safe. With `known`, whether the previous file has this content is
 * first asked of the states recorded by earlier runs (then it is not read), and what is written or
 * linked is recorded there.
 */
export function writeFileCreatingDir(
  dir: string, rel: string, content: string | Uint8Array | readonly Uint8Array[], knownDirs: Set<string>, previousDir?: string,
  known?: { readonly states: OutputFileStates; readonly key: string },
): void {
  const parts = typeof content === 'string' ? [Buffer.from(content, 'utf8')] : content instanceof Uint8Array ? [content] : content;
  const file = path.join(dir, rel);
  const fileDir = path.dirname(file);
  if (!knownDirs.has(fileDir)) {
    fs.mkdirSync(fileDir, { recursive: true });
    knownDirs.add(fileDir);
  }
  if (previousDir !== undefined) {
    const previous = path.join(previousDir, rel);
    try {
      const recorded = known?.states.unchanged(rel, known.key, previous);
      if (recorded || equalsParts(fs.readFileSync(previous), parts)) {
        fs.linkSync(previous, file);
        if (known) known.states.record(rel, known.key, recorded ?? fs.statSync(file));
        return;
      }
    } catch {
      // no such previous file, or links not supported here: write it
    }
  }
  const fd = fs.openSync(file, 'w');
  try {
    writeParts(fd, parts);
    if (known) known.states.record(rel, known.key, fs.fstatSync(fd));
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether `bytes` is the concatenation of `parts`. */
function equalsParts(bytes: Buffer, parts: readonly Uint8Array[]): boolean {
  let at = 0;
  for (const part of parts) {
    if (at + part.length > bytes.length || !bytes.subarray(at, at + part.length).equals(part)) return false;
    at += part.length;
  }
  return at === bytes.length;
}

/** Writes `parts` to `fd`, in order, without joining them first. */
function writeParts(fd: number, parts: readonly Uint8Array[]): void {
  // At most IOV_MAX (1,024 on Linux) buffers per call; a short write goes on from where it stopped.
  for (let i = 0; i < parts.length;) {
    const batch = parts.slice(i, i + 1024);
    let written = fs.writevSync(fd, batch);
    for (const part of batch) {
      if (written >= part.length) {
        written -= part.length;
      } else {
        let rest = part.subarray(written);
        while (rest.length > 0) rest = rest.subarray(fs.writeSync(fd, rest));
        written = 0;
      }
    }
    i += batch.length;
  }
}
