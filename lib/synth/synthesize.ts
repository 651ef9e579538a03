import { App } from 'cdk8s';
import { collectWarnings } from '../core/warnings';
import { Finding, ManifestCheck, ManifestObject } from '../validation/finding';
import { publishDirectory, toYamlStream, writeTree } from './publish';
import { renderApp } from './render';

/** Props of {@link synthesize}. */
export interface SynthesizeOptions {
  /** Output subdirectory → the app rendered into it (e.g. `{ dev: devApp, prod: prodApp }`). */
  readonly apps: Record<string, App>;
  /** Directory replaced, atomically, by the output (e.g. `dist`). */
  readonly outdir: string;
  /** Checks run on every object before anything is written; an error-level finding aborts. @default none */
  readonly checks?: readonly ManifestCheck[];
  /** A further directory the same files are copied to (the cdk8s CLI's output directory). @default none */
  readonly mirrorDir?: string;
  /** Render and check only; write nothing. @default false */
  readonly dryRun?: boolean;
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

/** Runs `checks` over one deployment target's objects. */
export function runChecks(checks: readonly ManifestCheck[], objects: readonly ManifestObject[]): Finding[] {
  return checks.flatMap((c) => c.check(objects));
}

/** `file: Kind/ns/name: path: message [check]`. */
export function formatFinding(f: Finding): string {
  return `  ${f.severity === 'error' ? 'ERROR' : 'WARN '} ${f.file}: ${f.object}: ${f.path}: ${f.message} [${f.check}]`;
}

/**
 * Renders the apps, runs the checks and, when all pass, replaces `outdir` in one step. Any
 * failure (a construct's validation, a check) throws before the first byte is written, so the
 * previous output stays intact.
 */
export function synthesize(options: SynthesizeOptions): SynthesisResult {
  const objects: ManifestObject[] = [];
  const files = new Map<string, string>();
  for (const dir of Object.keys(options.apps)) {
    for (const file of renderApp(options.apps[dir])) {
      const rel = `${dir}/${file.fileName}`;
      const manifests = file.objects.map((o) => o.manifest);
      manifests.forEach((manifest) => objects.push({ file: rel, manifest }));
      files.set(rel, toYamlStream(manifests));
    }
  }
  const warnings: Finding[] = Object.values(options.apps).flatMap((app) => collectWarnings(app)).map((message) => ({
    file: '-', object: '-', path: '-', message, severity: 'warning' as const, check: 'construct',
  }));
  // Each app (output directory) is a separate deployment target, checked on its own.
  const findings = [...warnings, ...Object.keys(options.apps).flatMap((dir) => runChecks(options.checks ?? [], objects.filter((o) => o.file.startsWith(`${dir}/`))))];
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new ManifestCheckError(errors);

  if (!options.dryRun) {
    publishDirectory(options.outdir, files);
    if (options.mirrorDir) writeTree(options.mirrorDir, files);
  }
  let bytes = 0;
  for (const content of files.values()) bytes += Buffer.byteLength(content);
  return { files, objectCount: objects.length, bytes, findings };
}
