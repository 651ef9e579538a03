import * as path from 'path';
import { App } from 'cdk8s';
import { defaultCacheDir } from '../core/cache-dir';
import { defaultChecks } from '../validation/default-checks';
import { CheckSeverity, FindingPolicy } from '../validation/exemptions';
import { Finding, isPortableCheck, ManifestCheck, ManifestObject, PortableCheck } from '../validation/finding';
import { loadValidationConfig } from '../validation/validation-config';
import { CheckRunner } from './check-runner';
import { InlineOutputSink, OutputSink } from './output-sink';
import { ParallelOutputSink } from './parallel-output-sink';
import { StagedDirectory, writeTree } from './publish';
import { SerializedManifests } from './serialized-manifests';
import { planApp, renderFile } from './render';

/**
 * From this many objects on, checks and YAML run on a worker thread by default: below it, starting
 * the worker (it loads its own modules and validators) costs about what the overlap saves, on a
 * 2-core machine (bench/RESULTS.md: even at 400 services / 4,500 objects, 20 % faster at 11,300).
 */
export const PARALLEL_OUTPUT_THRESHOLD = 4000;

/** Props of {@link synthesize}. */
export interface SynthesizeOptions {
  /** Output subdirectory → the app rendered into it (e.g. `{ dev: devApp, prod: prodApp }`). */
  readonly apps: Record<string, App>;
  /** Directory replaced, atomically, by the output (e.g. `dist`). */
  readonly outdir: string;
  /**
   * Checks run on every object before anything is written; an error-level finding aborts; `[]`
   * checks nothing. @default every check ({@link defaultChecks}) with {@link schemaLocations}
   */
  readonly checks?: readonly ManifestCheck[];
  /**
   * Schemas of kinds beyond the built-in ones, for the default checks: CRD files, directories of
   * CRD files or http(s) URLs (after those of the project's `cdk8s-microservices.yaml`). @default none
   */
  readonly schemaLocations?: readonly string[];
  /** With the default checks, a kind without a schema is a warning rather than an error. @default false */
  readonly ignoreMissingSchemas?: boolean;
  /**
   * Severity per check name (`error`, `warning` or `off`), over the project's `checks` settings;
   * objects' `ignore-check.cdk8s-microservices.io/<check>` annotations exempt them either way.
   * @default the project's settings
   */
  readonly checkSeverities?: Readonly<Record<string, CheckSeverity>>;
  /** A further directory the same files are copied to (the cdk8s CLI's output directory). @default none */
  readonly mirrorDir?: string;
  /** Render and check only; write nothing. @default false */
  readonly dryRun?: boolean;
  /**
   * Where the YAML of objects, and the objects the per-object checks found clean, are cached
   * between runs (most objects are unchanged from one synth to the next); `null` for nowhere. @default the per-user cache directory, see {@link defaultCacheDir}
   */
  readonly cacheDir?: string | null;
  /**
   * Run the per-object checks and YAML serialization on a worker thread while this one renders.
   * Output and findings are identical either way. @default true from {@link PARALLEL_OUTPUT_THRESHOLD} objects on
   */
  readonly parallelOutput?: boolean;
}

/** What a synthesis produced. */
export interface SynthesisResult {
  /** Relative path → YAML content. */
  readonly files: ReadonlyMap<string, string>;
  /** Number of objects. */
  readonly objectCount: number;
  /** Total bytes of YAML. */
  readonly bytes: number;
  /** Findings of the checks (warnings only, since errors abort). */
  readonly findings: readonly Finding[];
}

/** Thrown when checks report errors; nothing has been written. */
export class ManifestCheckError extends Error {
  constructor(public readonly findings: readonly Finding[]) {
    super(`${findings.length} manifest error(s), nothing written:\n${findings.map(formatFinding).join('\n')}`);
    this.name = 'ManifestCheckError';
  }
}

/**
 * Runs `checks` over one deployment target's objects; the objects' exemption annotations and
 * `severities` (by check name) are applied to the findings. With a `cacheDir`, objects the
 * per-object checks found clean before are not checked again, nor is the whole set when it is
 * exactly as last time (see {@link CheckRunner}).
 */
export function runChecks(checks: readonly ManifestCheck[], objects: readonly ManifestObject[], severities: Readonly<Record<string, CheckSeverity>> = {}, cacheDir: string | null = null): Finding[] {
  // Findings over the whole set are remembered per set of directories (`npm run validate` checks
  // dist/dev and dist/prod apart: one entry each).
  const directories = [...new Set(objects.map((o) => path.resolve(path.dirname(o.file))))].sort();
  const runner = new CheckRunner(checks, cacheDir, directories.join('\n'));
  const byFile = new Map<string, unknown[]>();
  for (const { file, manifest } of objects) {
    const manifests = byFile.get(file);
    if (manifests) manifests.push(manifest);
    else byFile.set(file, [manifest]);
  }
  for (const [file, manifests] of byFile) runner.add('target', file, manifests);
  const findings = runner.finish(['target']).get('target')!.flat();
  runner.close();
  return new FindingPolicy({ severities }).addAll(objects).apply(findings);
}

/** `file: Kind/ns/name: path: message [check]` (and the reason of an exempted finding). */
export function formatFinding(f: Finding): string {
  const label = f.severity === 'error' ? 'ERROR' : f.severity === 'warning' ? 'WARN ' : 'EXEMPT';
  const reason = f.exemption ? ` (exempted: ${f.exemption.reason})` : '';
  return `  ${label} ${f.file}: ${f.object}: ${f.path}: ${f.message} [${f.check}]${reason}`;
}

/**
 * Renders the apps, runs the checks and, when all pass, replaces `outdir` in one step. Any
 * failure (a construct's validation, a check, a write) throws before `outdir` is touched: files
 * are staged in a sibling directory that is swapped in only at the end, so the previous output
 * stays intact.
 */
export function synthesize(options: SynthesizeOptions): SynthesisResult {
  // Every construct is validated before anything is rendered or written.
  const plans = Object.entries(options.apps).map(([dir, app]) => ({ dir, ...planApp(app) }));
  const dirs = plans.map((p) => p.dir);
  const objectCount = plans.reduce((n, p) => n + p.files.reduce((m, f) => m + f.objects.length, 0), 0);
  const config = loadValidationConfig();
  const checks = options.checks ?? defaultChecks({
    schemas: { schemaLocations: options.schemaLocations ?? [], ...(options.ignoreMissingSchemas !== undefined ? { ignoreMissingSchemas: options.ignoreMissingSchemas } : {}) },
    ...(config.externalNamespaces.length > 0 ? { externalNamespaces: [...config.externalNamespaces] } : {}),
    externalObjects: [...config.externalObjects],
  });
  const policy = new FindingPolicy({ severities: { ...config.severities, ...options.checkSeverities } });
  const staged = options.dryRun ? undefined : StagedDirectory.create(options.outdir);
  const parallel = options.parallelOutput ?? objectCount >= PARALLEL_OUTPUT_THRESHOLD;
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const yamlCache = cacheDir ? { dir: cacheDir, outdir: options.outdir } : null;
  // In parallel, checks that can be rebuilt on the worker and judge objects one by one run there,
  // file by file as they arrive; checks over whole directories run here, once rendering is done
  // and this thread would otherwise wait.
  const onWorker = parallel ? checks.filter((c): c is PortableCheck => isPortableCheck(c) && c.perObject === true) : [];
  const onMain = checks.filter((c) => !onWorker.includes(c as PortableCheck));
  const writing = { dir: staged?.path, previousDir: staged?.target, yamlCache };
  const sink: OutputSink = parallel
    ? new ParallelOutputSink(onWorker.map((c) => c.threadFactory), writing)
    : new InlineOutputSink(writing);
  try {
    const mainRunner = new CheckRunner(onMain, cacheDir, path.resolve(options.outdir));
    for (const { dir, files } of plans) {
      for (const file of files) {
        const rel = `${dir}/${file.fileName}`;
        const manifests = renderFile(file).objects.map((o) => o.manifest);
        // Encoded once for both; the runner reads the JSON before the sink hands it to its worker.
        const json = parallel ? SerializedManifests.encode(manifests) : undefined;
        mainRunner.add(dir, rel, manifests, json);
        sink.add(dir, rel, manifests, json);
        for (const manifest of manifests) policy.add(rel, manifest);
      }
    }
    // Each app (output directory) is a separate deployment target, checked on its own; the
    // checks here run while the sink works through the files and finishes.
    sink.end?.(dirs);
    const mainFindings = mainRunner.finish(dirs);
    mainRunner.close();
    const output = sink.finish(dirs);
    const warnings: Finding[] = plans.flatMap((p) => p.warnings).map((message) => ({
      file: '-', object: '-', path: '-', message, severity: 'warning' as const, check: 'construct',
    }));
    const findings = [...warnings, ...policy.apply(dirs.flatMap((dir) => checks.flatMap((check) => {
      const onWorkerAt = onWorker.indexOf(check as PortableCheck);
      return onWorkerAt >= 0 ? output.findings.get(dir)![onWorkerAt] : mainFindings.get(dir)![onMain.indexOf(check)];
    })))];
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new ManifestCheckError(errors);

    staged?.commit();
    if (options.mirrorDir && !options.dryRun) writeTree(options.mirrorDir, output.files);
    return { files: output.files, objectCount, bytes: output.bytes, findings };
  } finally {
    sink.dispose();
    staged?.discard();
  }
}
