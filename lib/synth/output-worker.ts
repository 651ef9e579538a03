// Worker thread of ParallelOutputSink: checks, serializes and writes each file it is sent, then
// answers with every file's YAML and findings once the main thread says done. It always answers
// (with an error when something failed), because the main thread blocks until it does.
import { MessagePort, workerData } from 'worker_threads';
import { Finding, PerObjectCheck, ThreadFactory } from '../validation/finding';
import { FileProcessor } from './output-sink';

/** What the main thread passes to the worker. */
export interface OutputWorkerData {
  /** Files arrive here as `{ rel, manifests }`, then `null` for done; the answer goes back on it. */
  readonly port: MessagePort;
  /** Slot 0: set to 1 when the answer is posted; 1: files processed so far; 2: set to 1 to skip the rest. */
  readonly signal: Int32Array;
  /** How to build each per-object check here. */
  readonly checks: readonly ThreadFactory[];
  /** Serialize each file to YAML (and write it to `dir`). */
  readonly serialize: boolean;
  /** Where each file is written; none keeps them in memory only. */
  readonly dir?: string;
  /** Where the YAML of objects is cached between runs, and for which output; `null` for nowhere. */
  readonly yamlCache: { readonly dir: string; readonly outdir: string } | null;
}

/** The worker's one answer: per file, its path, YAML and each check's findings. */
export type OutputWorkerAnswer = { readonly files: Array<[string, string, Finding[][]]> } | { readonly error: string };

function answer(data: OutputWorkerData, reply: OutputWorkerAnswer): void {
  data.port.postMessage(reply);
  Atomics.store(data.signal, 0, 1);
  Atomics.notify(data.signal, 0);
}

function serve(data: OutputWorkerData): void {
  const files: Array<[string, string, Finding[][]]> = [];
  let processor: FileProcessor | undefined;
  let failure: string | undefined;
  try {
    const checks = data.checks.map((f): PerObjectCheck => require(f.module)[f.exportName](...f.args));
    processor = new FileProcessor({ checks, serialize: data.serialize, dir: data.dir, yamlCache: data.yamlCache });
  } catch (e) {
    failure = `building the checks: ${(e as Error).message}`;
  }
  data.port.on('message', (message: { rel: string; manifests: unknown[] } | null) => {
    if (message === null) {
      try {
        processor?.close();
      } catch {
        // persisting caches is an optimization only
      }
      answer(data, failure ? { error: failure } : { files });
      data.port.close();
      return;
    }
    if (failure || Atomics.load(data.signal, 2) === 1) return;
    try {
      const { content, findings } = processor!.process(message.rel, message.manifests);
      files.push([message.rel, content, findings]);
    } catch (e) {
      failure = `${message.rel}: ${(e as Error).message}`;
    }
    Atomics.add(data.signal, 1, 1);
  });
}

if (workerData?.port) serve(workerData as OutputWorkerData);
