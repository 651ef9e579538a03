import * as path from 'path';
import type { MessagePort, Worker } from 'worker_threads';
import { libraryCodeVersion } from '../core/code-version';
import { Finding, ThreadFactory } from '../validation/finding';
import { OutputSink, SinkOutput } from './output-sink';
import { PackedFiles, packedBytes, unpackFiles } from './packed-files';
import { SerializedManifests } from './serialized-manifests';
import type { OutputWorkerAnswer, OutputWorkerData, OutputWorkerMessage } from './output-worker';

/** How long a worker may go without finishing a file before it is given up on. */
const STALL_TIMEOUT_MS = 60_000;

/**
 * Checks, serializes and writes on a worker thread, so that work (half of a large synth) overlaps
 * with rendering. One worker,
 * not one per task: on two cores a second worker slowed the main thread's rendering, the critical
 * path, more than it saved (bench/RESULTS.md). The API stays synchronous: {@link finish} blocks
 * until the worker has answered.
 */
export class ParallelOutputSink implements OutputSink {
  private readonly worker: OutputWorker;
  private readonly order: string[] = [];

  /**
   * @param checks how to build each of the sink's checks on the worker
   * @param options where files are written, the output they replace, where YAML is cached
   */
  constructor(checks: readonly ThreadFactory[], options: Pick<OutputWorkerData, 'dir' | 'previousDir' | 'yamlCache'>) {
    // With caches, the checks' cache keys include the library's code version: computed here already.
    this.worker = new OutputWorker({ checks, ...options, ...(options.yamlCache ? { libraryCodeVersion: libraryCodeVersion() } : {}) });
  }

  public add(dir: string, rel: string, manifests: readonly unknown[], encoded?: ArrayBuffer): void {
    this.order.push(rel);
    const json = encoded ?? SerializedManifests.encode(manifests);
    this.worker.post({ dir, rel, json }, [json]);
  }

  public end(dirs: readonly string[]): void {
    this.worker.requestAnswer([...dirs]);
  }

  public finish(dirs: readonly string[]): SinkOutput {
    const answer = this.worker.answer([...dirs]);
    // Same order as add(), whatever order the worker finished in.
    return { files: unpackFiles(answer.files, this.order), bytes: packedBytes(answer.files), findings: new Map(answer.findings) };
  }

  public dispose(): void {
    this.worker.stop();
  }
}

/** One worker thread running {@link FileProcessor} on the files posted to it. */
class OutputWorker {
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker: Worker;
  private posted = 0;
  private requested = false;
  private answered = false;

  constructor(options: Pick<OutputWorkerData, 'checks' | 'dir' | 'previousDir' | 'yamlCache' | 'libraryCodeVersion'>) {
    // Loaded here: most synths are inline and never start a thread.
    const { MessageChannel, Worker } = threads();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: OutputWorkerData = { ...options, port: port2, signal: this.signal };
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...data, entry: workerEntry() }, transferList: [port2] });
    this.worker.unref();
  }

  public post(message: OutputWorkerMessage, transfer: ArrayBuffer[]): void {
    this.posted++;
    this.port.postMessage(message, transfer);
  }

  /** Tells the worker the output directories: no file comes after. */
  public requestAnswer(dirs: string[]): void {
    if (this.requested) return;
    this.requested = true;
    this.port.postMessage({ dirs } satisfies OutputWorkerMessage);
  }

  /** Tells the worker the output directories (unless done), then blocks until it has processed everything; throws what it reported. */
  public answer(dirs: string[]): { files: PackedFiles; findings: Array<[string, Finding[][]]> } {
    const reply = this.awaitAnswer(dirs);
    if ('error' in reply) throw new Error(`the output worker failed: ${reply.error}`);
    return reply;
  }

  /** Stops the worker, first waiting for it to skip what it has not done yet, so it no longer writes. */
  public stop(): void {
    if (!this.answered) {
      Atomics.store(this.signal, 2, 1);
      try {
        this.awaitAnswer([]);
      } catch {
        // it is being discarded anyway
      }
    }
    this.port.close();
    void this.worker.terminate();
  }

  private awaitAnswer(dirs: string[]): OutputWorkerAnswer {
    this.answered = true;
    this.requestAnswer(dirs);
    let progress = Atomics.load(this.signal, 1);
    while (Atomics.load(this.signal, 0) === 0) {
      if (Atomics.wait(this.signal, 0, 0, STALL_TIMEOUT_MS) === 'timed-out') {
        const now = Atomics.load(this.signal, 1);
        if (now === progress) throw new Error(`the output worker made no progress for ${STALL_TIMEOUT_MS / 1000} s (${now} of ${this.posted} files done)`);
        progress = now;
      }
    }
    const reply = threads().receiveMessageOnPort(this.port)?.message as OutputWorkerAnswer | undefined;
    if (!reply) throw new Error('the output worker signalled completion without an answer');
    return reply;
  }
}

function threads(): typeof import('worker_threads') {
  return require('worker_threads');
}

/**
 * The worker's module: the compiled `.js` next to this file in the package; when running from
 * TypeScript source (tests, `npm run synth`) the `.ts`, with the project's SWC hook for what is
 * required at run time and its bundler (scripts/bundle.js) for the worker's own modules and checks.
 */
function workerEntry(): { module: string; register?: string; bundler?: string } {
  const extension = path.extname(__filename);
  const module = path.join(__dirname, `output-worker${extension}`);
  if (extension !== '.ts') return { module };
  const scripts = path.join(__dirname, '..', '..', 'scripts');
  return { module, register: path.join(scripts, 'swc-register.js'), bundler: path.join(scripts, 'bundle.js') };
}

// Loads the worker's modules and serves; turns a failure to load them into an answer, since the
// main thread waits for one and cannot see the worker's 'error' event while it waits. From source,
// the worker's module and the checks' modules come from one bundle with a code cache: through the
// SWC hook, loading them one by one took ~0.35 s of the worker's time, half of it while the main
// thread renders on the other core.
const BOOTSTRAP = `
const { workerData } = require('worker_threads');
const { entry } = workerData;
(async () => {
  if (entry.register) require(entry.register);
  // The project's TypeScript modules only; when they cannot be bundled, requiring them says why.
  const modules = [entry.module, ...workerData.checks.map((c) => c.module)].filter((m) => m.endsWith('.ts'));
  const bundled = entry.bundler ? await require(entry.bundler).loadModules(modules).catch(() => undefined) : undefined;
  const load = (module) => (bundled && bundled.modules[module]) || require(module);
  load(entry.module).serve(workerData, { load, answered: bundled && bundled.saveCodeCache });
})().catch((e) => {
  workerData.port.postMessage({ error: 'the output worker failed to start: ' + (e && e.message) });
  Atomics.store(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
});
`;
