import * as os from 'os';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import {
  CanaryRoute, FlaggerCanary, MeshSecurity, MicroserviceChart, planApp, renderFile, synthesize, SynthesisError,
} from '../../lib';
import { IMAGE, thrownBy } from '../helpers';

/*
 * What can only be judged once the app is complete (callers defined later in the app) is reported
 * through cdk8s validation: planApp lists every such error with its construct path, before any
 * object is rendered, and rendering (lazy values resolved in toJson) never fails with a
 * ConfigurationError.
 */

/** Two services each naming a caller the app does not define. */
function appWithUnknownCallers(app = new App()): App {
  new MicroserviceChart(app, 'user-service', { image: IMAGE, callers: ['order-service', 'ordr-service'] });
  new MicroserviceChart(app, 'payment-service', { image: IMAGE, callers: [{ service: 'checkout', methods: ['POST'] }] });
  new MicroserviceChart(app, 'order-service', { image: IMAGE });
  return app;
}

const synthesisError = (fn: () => unknown): SynthesisError => thrownBy(SynthesisError, fn);

const KNOWN = 'allowed: a service of this app in namespace "default": user-service, payment-service, order-service';

describe('callers are resolved against the whole app', () => {
  test('unknown callers are listed together by planApp, before anything is rendered, without a stack trace', () => {
    const e = synthesisError(() => planApp(appWithUnknownCallers()));
    expect(e.errors).toEqual([
      `[user-service] invalid callers[1]: "ordr-service"; ${KNOWN}`,
      `[payment-service] invalid callers[0]: "checkout"; ${KNOWN}`,
    ]);
    expect(e.message).not.toMatch(/Failed serializing|at .*\.ts:\d+/);
  });

  test('synthesize reports them as a SynthesisError, not as a serialization crash', () => {
    const e = synthesisError(() => synthesize({ apps: { prod: appWithUnknownCallers() }, outdir: path.join(os.tmpdir(), 'never-written'), dryRun: true, cacheDir: null }));
    expect(e.errors).toHaveLength(2);
    expect(e.errors[0]).toMatch(/^\[user-service\] invalid callers\[1\]: "ordr-service"/);
  });

  test('App.synth() reports them through cdk8s validation too', () => {
    const app = appWithUnknownCallers(new App({ outdir: path.join(os.tmpdir(), `callers-${process.pid}`) }));
    expect(() => app.synth()).toThrow(/\[user-service\] invalid callers\[1\]: "ordr-service"/);
  });

  test('a caller defined after the service it calls is fine', () => {
    const app = new App();
    new MicroserviceChart(app, 'user-service', { image: IMAGE, callers: ['order-service'] });
    new MicroserviceChart(app, 'order-service', { image: IMAGE });
    expect(() => planApp(app)).not.toThrow();
  });

  test('rendering never fails with a ConfigurationError once validation passed', () => {
    // Every lazy value of the library: NetworkPolicy rules from the call graph, replicas left to an
    // autoscaler, policy selectors switched by Flagger, the adapter config. Rendering each object
    // on its own must not throw.
    const app = new App();
    const user = new MicroserviceChart(app, 'user-service', { image: IMAGE, callers: ['order-service'] });
    const order = new MicroserviceChart(app, 'order-service', { image: IMAGE, canary: { image: IMAGE.replace('v1.2.3', 'v1.3.0') } });
    new CanaryRoute(order, 'Route', { service: order, weights: { v1: 90, v2: 10 } });
    new CanaryRoute(user, 'Route', { service: user, flagger: { stepWeight: 10, maxWeight: 50 } });
    new MeshSecurity(app, 'mesh', { namespace: 'default' });
    const objects = planApp(app).files.flatMap((f) => f.objects);
    expect(objects.length).toBeGreaterThan(10);
    expect(user.node.findAll().some((c) => c instanceof FlaggerCanary)).toBe(true);
    for (const object of objects) {
      expect(() => renderFile({ fileName: 'x.yaml', objects: [object as ApiObject] })).not.toThrow();
    }
  });

  test('a construct-level error found at synthesis keeps the ConfigurationError format', () => {
    const e = synthesisError(() => planApp(appWithUnknownCallers()));
    for (const line of e.errors) expect(line).toMatch(/^\[[^\]]+\] invalid [^:]+: .+; allowed: .+$/);
  });
});
