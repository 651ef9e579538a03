import { Finding, PerObjectCheck } from '../validation/finding';
import { toYamlStream, writeFileCreatingDir } from './publish';
import { YamlCache } from './yaml-cache';

/** What an {@link OutputSink} produced. */
export interface SinkOutput {
  /** Relative path → YAML, in the order the files were added. */
  readonly files: Map<string, string>;
  /** Relative path → the findings of each per-object check (in the sink's order of checks) on that file. */
  readonly findings: Map<string, Finding[][]>;
}

/**
 * Where rendered files go: each is run through the per-object checks, serialized to YAML and,
 * when a directory is given, written there as soon as it arrives. That work is half of a large
 * synth, so {@link ParallelOutputSink} does it on a second thread while this one keeps rendering.
 */
export interface OutputSink {
  /** Queues one file (path relative to the output directory) with its objects in order. */
  add(rel: string, manifests: readonly unknown[]): void;
  /** Waits until every queued file is done. */
  finish(): SinkOutput;
  /** Releases the sink's resources; safe to call more than once, and after a failure. */
  dispose(): void;
}

/** What a {@link FileProcessor} does with each file. */
export interface FileProcessorOptions {
  /** Per-object checks run on the file's objects. */
  readonly checks: readonly PerObjectCheck[];
  /** Serialize the file to YAML. */
  readonly serialize: boolean;
  /** Where the YAML is written; none keeps it in memory only. */
  readonly dir?: string;
  /** Where the YAML of objects is cached between runs, and for which output directory; `null` for nowhere. */
  readonly yamlCache: { readonly dir: string; readonly outdir: string } | null;
}

/**
 * Checks, serializes and writes one file: the work of a sink, whichever thread it runs on.
 */
export class FileProcessor {
  private readonly knownDirs = new Set<string>();
  private readonly yamlCache?: YamlCache;

  constructor(private readonly options: FileProcessorOptions) {
    this.yamlCache = options.serialize && options.yamlCache ? YamlCache.open(options.yamlCache.dir, options.yamlCache.outdir) : undefined;
  }

  /** Persists what was learnt (caches); called once, when the work is done. */
  public close(): void {
    this.yamlCache?.persist();
    for (const check of this.options.checks) check.close?.();
  }

  /** Returns the file's YAML (empty when not serializing) and each check's findings. */
  public process(rel: string, manifests: readonly unknown[]): { content: string; findings: Finding[][] } {
    const objects = manifests.map((manifest) => ({ file: rel, manifest }));
    const findings = this.options.checks.map((check) => check.check(objects));
    if (!this.options.serialize) return { content: '', findings };
    const content = toYamlStream(manifests, this.yamlCache);
    if (this.options.dir) writeFileCreatingDir(this.options.dir, rel, content, this.knownDirs);
    return { content, findings };
  }
}

/** Does the work on the calling thread. */
export class InlineOutputSink implements OutputSink {
  private readonly output: SinkOutput = { files: new Map(), findings: new Map() };
  private readonly processor: FileProcessor;

  /**
   * @param checks per-object checks run on each file
   * @param dir where files are written as they are added; none keeps them in memory only
   * @param yamlCache where the YAML of objects is cached between runs, and for which output; `null` for nowhere
   */
  constructor(checks: readonly PerObjectCheck[], dir: string | undefined, yamlCache: FileProcessorOptions['yamlCache']) {
    this.processor = new FileProcessor({ checks, serialize: true, dir, yamlCache });
  }

  public add(rel: string, manifests: readonly unknown[]): void {
    const { content, findings } = this.processor.process(rel, manifests);
    this.output.files.set(rel, content);
    this.output.findings.set(rel, findings);
  }

  public finish(): SinkOutput {
    this.processor.close();
    return this.output;
  }

  public dispose(): void {}
}
