import { manifestDigest } from '../../lib/core/hash';
import { SerializedManifests } from '../../lib/synth/serialized-manifests';

// Files cross to the output worker as JSON lines in a transferred buffer: nothing may change on
// the way, whatever the text holds.

const tricky = [
  { kind: 'ConfigMap', metadata: { name: 'a' }, data: { 'script.sh': 'line 1\nline 2\r\n\ttab', emoji: 'ünï — 🚀', quote: '"\\' } },
  { kind: 'Service', metadata: { name: 'b', labels: { '10': 'integer-like key', z: 'last' } }, spec: { ports: [{ port: 80 }], empty: [], nothing: null } },
];

describe('SerializedManifests', () => {
  test('objects survive the trip through the buffer exactly, line breaks and non-ASCII text included', () => {
    const decoded = SerializedManifests.decode(SerializedManifests.encode(tricky));
    expect(decoded.length).toBe(2);
    expect(decoded.all()).toEqual(tricky);
    expect(JSON.stringify(decoded.manifest(1))).toBe(JSON.stringify(tricky[1]));
  });

  test('digests are those of the objects (the caches\' keys), known without parsing', () => {
    const decoded = SerializedManifests.decode(SerializedManifests.encode(tricky));
    expect(decoded.digest(0)).toBe(manifestDigest(tricky[0]));
    expect(decoded.digest(1)).toBe(manifestDigest(tricky[1]));
    expect((decoded as any).objects.filter((o: unknown) => o !== undefined)).toHaveLength(0);
    const inMemory = SerializedManifests.fromObjects(tricky);
    expect(inMemory.digest(0)).toBe(decoded.digest(0));
    expect(inMemory.manifest(1)).toBe(tricky[1]);
  });

  test('a file without objects, and values that are not objects (no digest)', () => {
    expect(SerializedManifests.decode(SerializedManifests.encode([])).length).toBe(0);
    const odd = SerializedManifests.decode(SerializedManifests.encode(['text', 3]));
    expect(odd.all()).toEqual(['text', 3]);
    expect(odd.digest(0)).toBeUndefined();
    expect(odd.digest(1)).toBeUndefined();
  });
});
