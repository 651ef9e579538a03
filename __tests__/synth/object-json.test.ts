import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { buildDefaultApps } from '../../app';
import { IntOrString, KubeDeployment, KubeService, Quantity } from '../../imports/k8s';
import { fastObjectJson, withFastObjectJson } from '../../lib/synth/object-json';

// The renderer replaces cdk8s' ApiObject.toJson while it renders, for speed. It must give exactly
// what cdk8s gives (same values, same key order) for every object, and step aside when it cannot.

/** Every ApiObject under `scope`. */
function objectsOf(scope: Construct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

/** `o.toJson()` (the class's own, e.g. a generated converter over the base) with and without the fast base, as text. */
function bothWays(o: ApiObject): [string, string] {
  return [JSON.stringify(o.toJson()), JSON.stringify(withFastObjectJson(() => o.toJson()))];
}

describe('fast object JSON', () => {
  test('every object of the default app renders exactly as cdk8s renders it (values and key order)', () => {
    const objects = Object.values(buildDefaultApps()).flatMap(objectsOf);
    expect(objects.length).toBeGreaterThan(150);
    for (const o of objects) {
      const [cdk8s, fast] = bothWays(o);
      expect(`${o.node.path}: ${fast}`).toBe(`${o.node.path}: ${cdk8s}`);
    }
  });

  test('cdk8s-plus workloads (lazy values, IntOrString, generated converters) render the same', () => {
    const app = new App();
    const chart = new Chart(app, 'plus', { namespace: 'shop' });
    const deployment = new kplus.Deployment(chart, 'web', {
      containers: [{ image: 'nginx:1.27.0', portNumber: 8080, resources: { cpu: { request: kplus.Cpu.millis(100) } } }],
      replicas: 2,
    });
    deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.ConfigMap(chart, 'config', { data: { a: '1' } });
    const objects = objectsOf(app);
    expect(objects.length).toBeGreaterThanOrEqual(3);
    for (const o of objects) {
      const [cdk8s, fast] = bothWays(o);
      expect(fast).toBe(cdk8s);
    }
  });

  test('tokens of every built-in resolver, empty metadata and null values come out as cdk8s makes them', () => {
    const app = new App();
    const chart = new Chart(app, 'tokens', { labels: { team: 'shop' } });
    const obj = new KubeDeployment(chart, 'web', {
      metadata: { name: 'web', annotations: {}, finalizers: [], labels: { zeta: 'z', alpha: Lazy.any({ produce: () => 'a' }) as any } },
      spec: {
        replicas: Lazy.any({ produce: () => Lazy.any({ produce: () => 3 }) }),
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'web',
              image: 'nginx:1.27.0',
              ports: [{ containerPort: 8080, name: undefined }],
              resources: { limits: { cpu: Quantity.fromString('500m'), memory: Quantity.fromNumber(1024) } },
              readinessProbe: { httpGet: { port: IntOrString.fromString('http'), path: '/ready' } },
              args: ['a', null as any, undefined as any],
              env: [{ name: 'TOKEN', value: { resolve: () => 'resolved' } as any }],
            }],
          },
        },
      },
    });
    obj.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' });
    const [cdk8s, fast] = bothWays(obj);
    expect(fast).toBe(cdk8s);
    const json = JSON.parse(fast);
    expect(Object.keys(json).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(json.metadata.annotations).toBeUndefined(); // empty maps and lists are dropped from metadata, as cdk8s does
    expect(json.metadata.finalizers).toBeUndefined();
    expect(Object.keys(json.metadata.labels)).toEqual(['alpha', 'team', 'zeta']);
    expect(json.spec.replicas).toBe(3);
    expect(json.spec.template.spec.containers[0].readinessProbe.httpGet.port).toBe('http');
    expect(json.spec.template.spec.containers[0].env[0].value).toBe('resolved');
  });

  test('plain ApiObjects with arbitrary content (nested lazies, empty lists and maps kept outside metadata)', () => {
    const app = new App();
    const chart = new Chart(app, 'plain');
    const custom = new ApiObject(chart, 'custom', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { b: [{ y: 1, x: [] }, 'text'], a: {}, nested: { z: Lazy.any({ produce: () => ({ q: 1, p: null }) }) } },
    });
    const [cdk8s, fast] = bothWays(custom);
    expect(fast).toBe(cdk8s);
    expect(JSON.parse(fast).spec).toEqual({ a: {}, b: [{ x: [], y: 1 }, 'text'], nested: { z: { q: 1 } } });
  });

  test('keys come out in cdk8s\' order whatever order they were written in: numeric-looking, upper and lower case, non-ASCII, small and large maps', () => {
    const scrambled = (keys: string[]) => Object.fromEntries([...keys].reverse().map((k, i) => [k, i]));
    const small = ['10', '9', 'B', 'a', '_x', 'é', 'Z-1', 'z', 'a.b/c', ''];
    const large = Array.from({ length: 70 }, (_, i) => `key-${(i * 37) % 70}`);
    const custom = new ApiObject(new Chart(new App(), 'keys'), 'custom', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { b: '1', a: '2', c: '3' } },
      spec: { small: scrambled(small), large: scrambled(large), already: { a: 1, b: 2 } },
    });
    const [cdk8s, fast] = bothWays(custom);
    expect(fast).toBe(cdk8s);
    // Sorted as strings; a JavaScript object then lists integer-like keys first.
    expect(Object.keys(JSON.parse(fast).spec.small)).toEqual(['9', '10', '', 'B', 'Z-1', '_x', 'a', 'a.b/c', 'z', 'é']);
    expect(Object.keys(JSON.parse(fast).spec.large)).toEqual([...large].sort());
  });

  test('what it does not handle goes through cdk8s itself: JSON patches, custom resolvers, class instances', () => {
    const patched = new KubeService(new Chart(new App(), 'patched'), 'svc', { metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } });
    patched.addJsonPatch(JsonPatch.add('/spec/type', 'ClusterIP'));
    expect(bothWays(patched)[1]).toBe(bothWays(patched)[0]);
    expect(JSON.parse(bothWays(patched)[1]).spec.type).toBe('ClusterIP');

    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (context.value === 'shout') context.replaceValue('SHOUT');
      }
    }
    const custom = new ApiObject(new Chart(new App({ resolvers: [new Upper()] }), 'custom'), 'x', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'shout' } });
    expect(withFastObjectJson(() => custom.toJson()).data.a).toBe('SHOUT');

    class Opaque { public readonly x = 1; }
    const bad = new ApiObject(new Chart(new App(), 'bad'), 'x', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: new Opaque() } });
    const cdk8sError = (() => { try { bad.toJson(); } catch (e) { return (e as Error).message; } return undefined; })();
    expect(cdk8sError).toMatch(/can't render non-simple object of type 'Opaque'/);
    expect(() => withFastObjectJson(() => bad.toJson())).toThrow(cdk8sError!);
  });

  test('cdk8s\' own toJson is back in place after rendering, also when rendering throws', () => {
    const original = ApiObject.prototype.toJson;
    expect(() => withFastObjectJson(() => {
      expect(ApiObject.prototype.toJson).not.toBe(original);
      throw new Error('boom');
    })).toThrow('boom');
    expect(ApiObject.prototype.toJson).toBe(original);
    const o = new ApiObject(new Chart(new App(), 'c'), 'x', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(fastObjectJson(o)).toEqual(o.toJson()); // outside withFastObjectJson: cdk8s' own
  });
});
