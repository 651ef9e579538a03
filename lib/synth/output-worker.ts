// Worker thread of ParallelOutputSink: checks, serializes and writes each file it is sent, then,
// told the output directories, finishes its checks over them and answers with every file's YAML
// and the findings. It always answers (with an error when something failed), because the main
// thread blocks until it does.
import type { MessagePort } from 'worker_threads';
import { adoptLibraryCodeVersion } from '../core/code-version';
import { Finding, ManifestCheck, ThreadFactory } from '../validation/finding';
import { FileProcessor, YamlCacheLocation } from './output-sink';
import { PackedFiles } from './packed-files';
import { SerializedManifests } from './serialized-manifests';

/** What the main thread passes to the worker. */
export interface OutputWorkerData {
  /** Files arrive here as `{ dir, rel, manifests }`, then `{ dirs }` for done; the answer goes back on it. */
  readonly port: MessagePort;
  /** Slot 0: set to 1 when the answer is posted; 1: files processed so far; 2: set to 1 to skip the rest. */
  readonly signal: Int32Array;
  /** How to build each check here. */
  readonly checks: readonly ThreadFactory[];
  /** Where each file is written; none keeps them in memory only. */
  readonly dir?: string;
  /** The output being replaced: its unchanged files are linked rather than written again. */
  readonly previousDir?: string;
  /** Where the YAML of objects is cached between runs; `null` for nowhere. */
  readonly yamlCache: YamlCacheLocation | null;
  /** The main thread's `libraryCodeVersion()` (part of the checks' cache keys), when it has it. */
  readonly libraryCodeVersion?: string;
}

/** A message to the worker: one file (its objects as {@link SerializedManifests.encode} gives them), or the end with every output directory. */
export type OutputWorkerMessage = { readonly dir: string; readonly rel: string; readonly json: ArrayBuffer } | { readonly dirs: string[] };

/** The worker's one answer: each file's path and YAML (packed, transferred), each directory's findings per check. */
export type OutputWorkerAnswer =
  | { readonly files: PackedFiles; readonly findings: Array<[string, Finding[][]]> }
  | { readonly error: string };

function answer(data: OutputWorkerData, reply: OutputWorkerAnswer): void {
  try {
    data.port.postMessage(reply, 'files' in reply ? [...reply.files.buffers, reply.files.pieces.buffer as ArrayBuffer] : []);
  } catch {
    // A buffer this runtime will not transfer (the main thread waits for an answer either way): copied.
    data.port.postMessage(reply);
  }
  Atomics.store(data.signal, 0, 1);
  Atomics.notify(data.signal, 0);
}

/** How the worker finds its modules, and what it does once it has answered. */
export interface ServeOptions {
  /** The exports of a module by its path (a check's {@link ThreadFactory.module}). @default require */
  readonly load?: (module: string) => any;
  /** Called once the answer is posted (the thread then has nothing left to do). @default nothing */
  readonly answered?: () => void;
}

/**
 * Serves the main thread on `data.port` until it has answered (run by the worker's bootstrap in
 * parallel-output-sink.ts once this module is loaded).
 */
export function serve(data: OutputWorkerData, options: ServeOptions = {}): void {
  const load = options.load ?? require;
  let processor: FileProcessor | undefined;
  let failure: string | undefined;
  if (data.libraryCodeVersion !== undefined) adoptLibraryCodeVersion(data.libraryCodeVersion);
  try {
    const checks = data.checks.map((f): ManifestCheck => new (load(f.module)[f.exportName])(...f.args));
    processor = new FileProcessor({ checks, dir: data.dir, previousDir: data.previousDir, yamlCache: data.yamlCache });
  } catch (e) {
    failure = `building the checks: ${(e as Error).message}`;
  }
  // Files queue on the port meanwhile; the first arrives only once the app is built.
  try {
    processor?.warm();
  } catch (e) {
    failure ??= `reading the caches: ${(e as Error).message}`;
  }
  data.port.on('message', (message: OutputWorkerMessage) => {
    if ('dirs' in message) {
      let findings: Array<[string, Finding[][]]> = [];
      try {
        if (!failure && Atomics.load(data.signal, 2) === 0) findings = [...processor!.finish(message.dirs)];
        processor?.close();
      } catch (e) {
        failure ??= `checking: ${(e as Error).message}`;
      }
      answer(data, failure ? { error: failure } : { files: processor!.files(), findings });
      data.port.close();
      options.answered?.();
      return;
    }
    if (failure || Atomics.load(data.signal, 2) === 1) return;
    try {
      processor!.process(message.dir, message.rel, SerializedManifests.decode(message.json));
    } catch (e) {
      failure = `${message.rel}: ${(e as Error).message}`;
    }
    Atomics.add(data.signal, 1, 1);
  });
}
