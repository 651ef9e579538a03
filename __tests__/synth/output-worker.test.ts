import { EventEmitter } from 'events';
import { serve } from '../../lib/synth/output-worker';
import { SerializedManifests } from '../../lib/synth/serialized-manifests';

// The output worker's loop, driven in this thread through a stand-in for its message port.

class FakePort extends EventEmitter {
  public readonly posted: Array<{ message: any; transfer?: unknown[] }> = [];
  public closed = false;
  constructor(private readonly refuseTransfer: boolean) {
    super();
  }
  public postMessage(message: any, transfer?: unknown[]): void {
    if (this.refuseTransfer && transfer && transfer.length > 0) throw new Error('DataCloneError: could not transfer');
    this.posted.push({ message, transfer });
  }
  public close(): void {
    this.closed = true;
  }
}

function run(refuseTransfer: boolean) {
  const port = new FakePort(refuseTransfer);
  const signal = new Int32Array(new SharedArrayBuffer(12));
  const answered = jest.fn();
  serve({ port: port as any, signal, checks: [], yamlCache: null, dir: undefined }, { answered });
  const manifests = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }];
  port.emit('message', { dir: 'prod', rel: 'prod/a.yaml', json: SerializedManifests.encode(manifests) });
  port.emit('message', { dirs: ['prod'] });
  return { port, signal, answered };
}

describe('output worker', () => {
  test('answers once with the files, transferring their buffers, and says so in the signal', () => {
    const { port, signal, answered } = run(false);
    expect(port.posted).toHaveLength(1);
    expect(port.posted[0].transfer!.length).toBeGreaterThan(0);
    expect(port.posted[0].message.files.names).toEqual(['prod/a.yaml']);
    expect(Atomics.load(signal, 0)).toBe(1);
    expect(Atomics.load(signal, 1)).toBe(1);
    expect(port.closed).toBe(true);
    expect(answered).toHaveBeenCalledTimes(1);
  });

  test('when its buffers cannot be transferred, the answer is copied rather than lost', () => {
    const { port, signal } = run(true);
    expect(port.posted).toHaveLength(1);
    expect(port.posted[0].transfer).toBeUndefined();
    expect(port.posted[0].message.files.names).toEqual(['prod/a.yaml']);
    expect(Atomics.load(signal, 0)).toBe(1);
  });
});
