// Worker thread of ParallelOutputSink: checks, serializes and writes each file it is sent, then,
// told the output directories, finishes its checks over them and answers with every file's YAML
// and the findings. It always answers (with an error when something failed), because the main
// thread blocks until it does.
import { MessagePort, workerData } from 'worker_threads';
import { Finding, ManifestCheck, ThreadFactory } from '../validation/finding';
import { FileProcessor, YamlCacheLocation } from './output-sink';
import { packFiles, PackedFiles } from './packed-files';
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
}

/** A message to the worker: one file (its objects as {@link SerializedManifests.encode} gives them), or the end with every output directory. */
export type OutputWorkerMessage = { readonly dir: string; readonly rel: string; readonly json: ArrayBuffer } | { readonly dirs: string[] };

/** The worker's one answer: each file's path and YAML (packed, transferred), each directory's findings per check. */
export type OutputWorkerAnswer =
  | { readonly files: PackedFiles; readonly findings: Array<[string, Finding[][]]> }
  | { readonly error: string };

function answer(data: OutputWorkerData, reply: OutputWorkerAnswer): void {
  data.port.postMessage(reply, 'files' in reply ? [reply.files.buffer] : []);
  Atomics.store(data.signal, 0, 1);
  Atomics.notify(data.signal, 0);
}

function serve(data: OutputWorkerData): void {
  const files: Array<[string, string]> = [];
  let processor: FileProcessor | undefined;
  let failure: string | undefined;
  try {
    const checks = data.checks.map((f): ManifestCheck => new (require(f.module)[f.exportName])(...f.args));
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
      answer(data, failure ? { error: failure } : { files: packFiles(files), findings });
      data.port.close();
      return;
    }
    if (failure || Atomics.load(data.signal, 2) === 1) return;
    try {
      files.push([message.rel, processor!.process(message.dir, message.rel, SerializedManifests.decode(message.json))]);
    } catch (e) {
      failure = `${message.rel}: ${(e as Error).message}`;
    }
    Atomics.add(data.signal, 1, 1);
  });
}

if (workerData?.port) serve(workerData as OutputWorkerData);
