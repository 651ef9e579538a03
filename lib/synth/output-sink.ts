import { Finding, ManifestCheck } from '../validation/finding';
import { CheckRunner } from './check-runner';
import { OutputFileStates } from './output-file-states';
import { FilePacker, PackedFiles, packedBytes, unpackFiles } from './packed-files';
import { writeFileCreatingDir } from './publish';
import { SerializedManifests } from './serialized-manifests';
import { codeVersion, YamlCache, yamlDocuments } from './yaml-cache';

/** What an {@link OutputSink} produced. */
export interface SinkOutput {
  /** Relative path → YAML, in the order the files were added. */
  readonly files: ReadonlyMap<string, string>;
  /** Total bytes of the YAML (UTF-8). */
  readonly bytes: number;
  /** Output directory → the findings of each of the sink's checks, in the sink's order of checks. */
  readonly findings: Map<string, Finding[][]>;
}

/**
 * Where rendered files go: each is serialized to YAML and, when a directory is given, written
 * there as soon as it arrives; the sink's checks run over them. That work is half of a large
 * synth, so {@link ParallelOutputSink} does it on a second thread while this one keeps rendering.
 */
export interface OutputSink {
  /**
   * Queues one file of output directory `dir` (`rel`: path relative to the output root) with its
   * objects in order; `json`, when given, is the same objects as {@link SerializedManifests.encode}
   * gives them, which the sink may take over (a worker's sink transfers it: it is empty after).
   */
  add(dir: string, rel: string, manifests: readonly unknown[], json?: ArrayBuffer): void;
  /**
   * Says that no file comes after, so the sink can finish its work (its checks over each of `dirs`,
   * saving its caches) while the caller does something else; {@link finish} then only collects it.
   * @default finish does it all
   */
  end?(dirs: readonly string[]): void;
  /** Waits until every queued file is done and the checks have run over each of `dirs` (the same as given to {@link end}). */
  finish(dirs: readonly string[]): SinkOutput;
  /** Releases the sink's resources; safe to call more than once, and after a failure. */
  dispose(): void;
}

/** Where a {@link FileProcessor} caches YAML: the cache directory and the output it is for. */
export interface YamlCacheLocation {
  /** The cache directory. */
  readonly dir: string;
  /** The output directory the YAML is for (each output has a cache file of its own). */
  readonly outdir: string;
}

/** What a {@link FileProcessor} does with each file. */
export interface FileProcessorOptions {
  /** Checks run over the files. */
  readonly checks: readonly ManifestCheck[];
  /** Where the YAML is written; none keeps it in memory only. */
  readonly dir?: string;
  /** The output being replaced: its unchanged files are linked rather than written again. @default none */
  readonly previousDir?: string;
  /** Where the YAML of objects is cached between runs; `null` for nowhere. */
  readonly yamlCache: YamlCacheLocation | null;
}

/** Checks, serializes and writes files: the work of a sink, whichever thread it runs on. */
export class FileProcessor {
  private readonly knownDirs = new Set<string>();
  private readonly yamlCache?: YamlCache;
  private readonly fileStates?: OutputFileStates;
  private readonly runner: CheckRunner;
  private readonly packer: FilePacker;

  constructor(private readonly options: FileProcessorOptions) {
    const cache = options.yamlCache;
    this.yamlCache = cache ? YamlCache.open(cache.dir, cache.outdir) : undefined;
    // Only where the output replaces one: the states say which of its files are unchanged.
    this.fileStates = cache && options.dir && options.previousDir ? OutputFileStates.open(cache.dir, cache.outdir, codeVersion()) : undefined;
    this.runner = new CheckRunner(options.checks, cache?.dir ?? null);
    this.packer = new FilePacker(() => this.yamlCache?.sharedBuffer);
  }

  /**
   * Reads the caches now rather than at the first file: a worker does it while the main thread
   * still builds the app, when it has nothing else to do (~0.3 s at 13,000 objects).
   */
  public warm(): void {
    this.yamlCache?.warm();
    this.runner.warm();
  }

  /** Checks, serializes and writes one file (its objects, or their JSON); its YAML is in {@link files}. */
  public process(dir: string, rel: string, manifests: readonly unknown[] | SerializedManifests): void {
    const file = manifests instanceof SerializedManifests ? manifests : SerializedManifests.fromObjects(manifests);
    this.runner.add(dir, rel, file);
    const content = yamlDocuments(file, this.yamlCache);
    this.packer.add(rel, content);
    if (!this.options.dir) return;
    const key = this.fileStates ? OutputFileStates.key(Array.from({ length: file.length }, (_, i) => file.digest(i))) : undefined;
    writeFileCreatingDir(this.options.dir, rel, content, this.knownDirs, this.options.previousDir, key !== undefined ? { states: this.fileStates!, key } : undefined);
  }

  /** The YAML of every file processed, in order. */
  public files(): PackedFiles {
    return this.packer.finish();
  }

  /** Runs the checks over whole directories; per directory, each check's findings. */
  public finish(dirs: readonly string[]): Map<string, Finding[][]> {
    return this.runner.finish(dirs);
  }

  /** Persists what was learnt (caches); called once, when the work is done. */
  public close(): void {
    this.yamlCache?.persist();
    this.fileStates?.persist();
    this.runner.close();
  }
}

/** Does the work on the calling thread. */
export class InlineOutputSink implements OutputSink {
  private readonly processor: FileProcessor;

  /** Checks run on the main thread's own runner, so this sink only serializes and writes. */
  constructor(options: Omit<FileProcessorOptions, 'checks'>) {
    this.processor = new FileProcessor({ ...options, checks: [] });
  }

  public add(dir: string, rel: string, manifests: readonly unknown[]): void {
    this.processor.process(dir, rel, manifests);
  }

  public finish(dirs: readonly string[]): SinkOutput {
    const findings = this.processor.finish(dirs);
    this.processor.close();
    const packed = this.processor.files();
    return { files: unpackFiles(packed), bytes: packedBytes(packed), findings };
  }

  public dispose(): void {}
}
