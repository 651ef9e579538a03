import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { MicroserviceChart, PlatformNamespace, previousConfigMaps, PreviousConfigMap, synthesize } from '../../lib';
import { all, IMAGE, render } from '../helpers';

const app = (level: string, extra: { retain?: number; previous?: PreviousConfigMap[] } = {}) => {
  const a = new App();
  new PlatformNamespace(a, 'namespace', { name: 'shop' }); // synthesize() checks that the namespace exists
  new MicroserviceChart(a, 'user-service', { namespace: 'shop', image: IMAGE, config: { data: { logLevel: level }, ...extra } });
  return a;
};
const configMaps = (objects: any[]) => all(objects, 'ConfigMap').map((c) => c.data.LOG_LEVEL);

describe('ServiceConfigMap keeps the last `retain` configurations', () => {
  const previous = ['c', 'b', 'a'].map((level) => ({ name: all(render(app(level)), 'ConfigMap')[0].metadata.name, data: { LOG_LEVEL: level } }));

  test('default 3: the current one, then the two newest previous ones; immutable, no Prune=false annotation', () => {
    const objects = render(app('d', { previous }));
    expect(configMaps(objects)).toEqual(['d', 'c', 'b']);
    for (const cm of all(objects, 'ConfigMap')) {
      expect(cm.immutable).toBe(true);
      expect(cm.metadata.annotations).toBeUndefined();
    }
    // the pods mount the current one only
    expect(all(objects, 'Deployment')[0].spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe(all(objects, 'ConfigMap')[0].metadata.name);
  });

  test('retain 1 keeps only the current one; retain 2 one previous', () => {
    expect(configMaps(render(app('d', { previous, retain: 1 })))).toEqual(['d']);
    expect(configMaps(render(app('d', { previous, retain: 2 })))).toEqual(['d', 'c']);
  });

  test('an unchanged configuration is not duplicated (re-synthesizing changes nothing)', () => {
    expect(configMaps(render(app('c', { previous })))).toEqual(['c', 'b', 'a']);
  });

  test.each<[string, any, RegExp]>([
    ['retain 0', { retain: 0 }, /\[user-service\/Config\] invalid config.retain: 0; allowed: an integer from 1 to 100/],
    ['retain 1.5', { retain: 1.5 }, /invalid config.retain: 1.5/],
    ['previous not a list', { previous: 'x' }, /invalid config.previous: "?x"?; allowed: a list/],
    ['previous of another service', { previous: [{ name: 'cart-config-abc', data: {} }] }, /invalid config.previous\[\].name: "?cart-config-abc"?; allowed: a previous configuration of this service, named user-service-config-<hash>/],
  ])('refused: %s', (_n, extra, message) => {
    expect(() => app('d', extra)).toThrow(message);
  });
});

describe('retention across synths, read back from the previous output', () => {
  test('config changes a → b → c → d: the output keeps d, c, b; a leaves it (and is pruned)', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retention-')), 'dist');
    const synthLevel = (level: string) => {
      synthesize({ apps: { prod: app(level, { previous: previousConfigMaps(path.join(outdir, 'prod'), 'user-service') }) }, outdir });
      const docs = fs.readdirSync(path.join(outdir, 'prod')).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(outdir, 'prod', f), 'utf8')));
      return configMaps(docs as any[]);
    };
    expect(synthLevel('a')).toEqual(['a']);
    expect(synthLevel('b')).toEqual(['b', 'a']);
    expect(synthLevel('c')).toEqual(['c', 'b', 'a']);
    expect(synthLevel('d')).toEqual(['d', 'c', 'b']);
    expect(synthLevel('d')).toEqual(['d', 'c', 'b']); // deterministic: same code, same previous output, same result
    expect(previousConfigMaps(path.join(outdir, 'prod'), 'user-service').map((p) => p.data.LOG_LEVEL)).toEqual(['d', 'c', 'b']);
    expect(previousConfigMaps(path.join(outdir, 'nowhere'), 'user-service')).toEqual([]);
    expect(previousConfigMaps(path.join(outdir, 'prod'), 'user')).toEqual([]); // another service's prefix does not match
  });
});
