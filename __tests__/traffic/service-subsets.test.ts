import { App } from 'cdk8s';
import { CanaryRoute, CanaryRouteProps, MicroserviceChart, MicroserviceChartProps, PlatformNamespace } from '../../lib';
import { IMAGE, only, render } from '../helpers';
import { bookinfo, bookinfoImage, findings } from './bookinfo';

const dr = (objects: any[], name = 'reviews') => only(objects, 'DestinationRule', name);
const vs = (objects: any[], name = 'reviews') => only(objects, 'VirtualService', name);

describe('tracks: any number of named versions per service', () => {
  test('reviews v1, v2 and v3 run at once: the stable Deployment keeps its name, each further track is <service>-<name>', () => {
    const { app } = bookinfo();
    const objects = render(app);
    const deployments = objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels.app === 'reviews');
    expect(deployments.map((d) => [d.metadata.name, d.spec.selector.matchLabels, d.spec.replicas, d.spec.template.spec.containers[0].image])).toEqual([
      ['reviews', { app: 'reviews', version: 'v1' }, undefined, bookinfoImage('reviews', 'v1')],
      ['reviews-v2', { app: 'reviews', version: 'v2' }, 1, bookinfoImage('reviews', 'v2')],
      ['reviews-v3', { app: 'reviews', version: 'v3' }, 1, bookinfoImage('reviews', 'v3')],
    ]);
    expect(deployments[2].spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'reviews-v3', 'app.kubernetes.io/version': '1.20.3' });
    expect(only(objects, 'Service', 'reviews').spec.selector).toEqual({ app: 'reviews' });
    // The default subsets: one per track, named after its version.
    const { reviews } = bookinfo();
    const route = new CanaryRoute(reviews, 'Route', { service: reviews });
    expect(route.subsetDefinitions.map((s) => [s.name, s.labels, s.tracks.map((t) => t.deploymentName)])).toEqual([
      ['v1', { version: 'v1' }, ['reviews']], ['v2', { version: 'v2' }, ['reviews-v2']], ['v3', { version: 'v3' }, ['reviews-v3']],
    ]);
  });

  test('a track with its own version label and region label; extra labels of the stable track', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'user-service', {
      image: IMAGE, trackLabels: { region: 'us-east' },
      additionalTracks: [{ name: 'eu', version: 'v1-eu', labels: { region: 'eu-west' }, image: IMAGE, replicas: 3 }],
    });
    const objects = render(app);
    const eu = only(objects, 'Deployment', 'user-service-eu');
    expect(eu.spec.selector.matchLabels).toEqual({ app: 'user-service', version: 'v1-eu' });
    expect(eu.spec.replicas).toBe(3);
    expect(eu.spec.template.metadata.labels).toMatchObject({ region: 'eu-west', version: 'v1-eu' });
    expect(only(objects, 'Deployment', 'user-service').spec.template.metadata.labels).toMatchObject({ region: 'us-east', version: 'v1' });
    expect(svc.tracks.map((t) => [t.track, t.version, t.labels.region])).toEqual([['stable', 'v1', 'us-east'], ['eu', 'v1-eu', 'eu-west']]);
  });

  test.each<[string, Partial<MicroserviceChartProps>, string | RegExp]>([
    ['two tracks with one version', { additionalTracks: [{ name: 'next', version: 'v1', image: IMAGE }] },
      '[user-service] invalid additionalTracks[0]: "next"; allowed: a track whose name, Deployment and version label differ from the stable track\'s (user-service, version "v1")'],
    ['a track named like the canary', { canary: { image: IMAGE }, additionalTracks: [{ name: 'canary', version: 'v9', image: IMAGE }] },
      /invalid additionalTracks\[0\]: "canary"; allowed: a track whose name, Deployment and version label differ from the canary track's \(user-service-canary/],
    ['a track name that is no DNS label', { additionalTracks: [{ name: 'V_2', image: IMAGE }] }, /invalid additionalTracks\[0\].name: "V_2"/],
    ['a Deployment name over 63 characters', { additionalTracks: [{ name: 'x'.repeat(55), image: IMAGE }] }, /invalid additionalTracks\[0\].name: "user-service-x{55}"/],
    ['an extra label the library sets', { additionalTracks: [{ name: 'v2', image: IMAGE, labels: { version: 'v7' } }] },
      /invalid additionalTracks\[0\].labels.version: "version"; allowed: a label the library does not set itself/],
    ['a stable label named app', { trackLabels: { app: 'x' } }, /invalid trackLabels.app: "app"/],
    ['no image', { additionalTracks: [{ name: 'v2' } as any] }, /\[user-service\] invalid additionalTracks\[0\].image: undefined/],
    ['null track (plain JavaScript)', { additionalTracks: [null as any] }, /invalid additionalTracks\[0\]: null; allowed: a NamedTrackOptions object/],
    ['blue/green over three tracks', { canary: { image: IMAGE }, additionalTracks: [{ name: 'v3', image: IMAGE }], blueGreen: { activeVersion: 'v1' } }, /blue\/green only with a second track \(the canary prop\) and no further tracks/],
  ])('refused: %s', (_name, props, message) => {
    expect(() => new MicroserviceChart(new App(), 'user-service', { image: IMAGE, ...props })).toThrow(message);
  });
});

describe('subsets: free names, label sets, weights across all of them, per-subset policies', () => {
  test('subset testversion selects version v3 with its own policy (reference: dr-subset-policy)', () => {
    const { app, ratings } = bookinfo({ ratings: { additionalTracks: [{ name: 'v3', image: bookinfoImage('ratings', 'v3') }] } });
    new CanaryRoute(ratings, 'Route', {
      service: ratings,
      subsets: [
        { name: 'stable', labels: { version: 'v1' } },
        { name: 'testversion', labels: { version: 'v3' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      ],
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
      weights: { stable: 80, testversion: 20 },
    });
    const objects = render(app);
    expect(dr(objects, 'ratings').spec).toEqual({
      host: 'ratings',
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
      subsets: [
        { name: 'stable', labels: { version: 'v1' } },
        { name: 'testversion', labels: { version: 'v3' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      ],
    });
    expect(vs(objects, 'ratings').spec.http).toEqual([{ name: 'default', route: [
      { destination: { host: 'ratings', subset: 'stable' }, weight: 80 },
      { destination: { host: 'ratings', subset: 'testversion' }, weight: 20 },
    ] }]);
    expect(findings(app)).toEqual([]);
  });

  test('subsets by region across tracks, with a weighted geo split and the stable subset as the default destination', () => {
    const app = new App();
    new PlatformNamespace(app, 'namespace', { name: 'default', istioInjection: true });
    const svc = new MicroserviceChart(app, 'user-service', {
      image: IMAGE, trackLabels: { region: 'us-east' },
      additionalTracks: [
        { name: 'eu', version: 'v1-eu', labels: { region: 'eu-west', zone: 'eu-west-1a' }, image: IMAGE },
        { name: 'eu-b', version: 'v1-eu-b', labels: { region: 'eu-west', zone: 'eu-west-1b' }, image: IMAGE },
      ],
    });
    const route = new CanaryRoute(svc, 'Route', {
      service: svc,
      subsets: [{ name: 'us', labels: { region: 'us-east' } }, { name: 'eu', labels: { region: 'eu-west' } }, { name: 'eu-1a', labels: { zone: 'eu-west-1a' } }],
      routes: [{ match: [{ headers: { 'x-region': { exact: 'eu' } } }], destinations: [{ subset: 'eu', weight: 70 }, { subset: 'eu-1a', weight: 30 }] }],
    });
    expect(route.subsetDefinitions.map((s) => [s.name, s.tracks.map((t) => t.deploymentName)])).toEqual([
      ['us', ['user-service']], ['eu', ['user-service-eu', 'user-service-eu-b']], ['eu-1a', ['user-service-eu']],
    ]);
    const objects = render(app);
    expect(dr(objects, 'user-service').spec.subsets.map((s: any) => [s.name, s.labels])).toEqual([
      ['us', { region: 'us-east' }], ['eu', { region: 'eu-west' }], ['eu-1a', { zone: 'eu-west-1a' }],
    ]);
    const http = vs(objects, 'user-service').spec.http;
    expect(http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['eu', 70], ['eu-1a', 30]]);
    expect(http[1].route).toEqual([{ destination: { host: 'user-service', subset: 'us' } }]);
    expect(findings(app)).toEqual([]);
  });

  test('weights over three subsets; zero weights are left out', () => {
    const { app, reviews } = bookinfo();
    new CanaryRoute(reviews, 'Route', { service: reviews, weights: { v1: 20, v2: 0, v3: 80 } });
    expect(vs(render(app)).spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 20], ['v3', 80]]);
  });

  const refused = (reviewsRoute: Omit<CanaryRouteProps, 'service'>) => {
    const { reviews } = bookinfo();
    return () => new CanaryRoute(reviews, 'Route', { service: reviews, ...reviewsRoute });
  };
  test.each<[string, Omit<CanaryRouteProps, 'service'>, string | RegExp]>([
    ['weights over three subsets not summing to 100', { weights: { v1: 30, v2: 30, v3: 30 } },
      '[reviews/Route] invalid weights.destinations: "v1=30 v2=30 v3=30"; allowed: weights that sum to 100 (they sum to 90)'],
    ['a fractional weight over three subsets', { weights: { v1: 33.4, v2: 33.3, v3: 33.3 } }, /invalid weights.destinations\[0\].weight: 33.4; allowed: an integer from 0 to 100/],
    ['a subset selecting no track', { subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v4', labels: { version: 'v4' } }] },
      /\[reviews\/Route\] invalid subsets\[1\].labels: \{"version":"v4"\}; allowed: labels selecting at least one track of reviews: reviews \(version=v1\); reviews-v2 \(version=v2\); reviews-v3 \(version=v3\)/],
    ['a subset with no labels', { subsets: [{ name: 'all', labels: {} }] }, /invalid subsets\[0\].labels: \{\}; allowed: at least one label/],
    ['two subsets of one name', { subsets: [{ name: 'a', labels: { version: 'v1' } }, { name: 'a', labels: { version: 'v2' } }] }, /invalid subsets \(names\)/],
    ['a route to an unknown subset', { routes: [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], destinations: [{ subset: 'v4' }] }] },
      '[reviews/Route] invalid routes[0].destinations[0].subset: "v4"; allowed: a subset of reviews: v1, v2, v3'],
    ['weights naming an unknown subset', { subsets: [{ name: 'testversion', labels: { version: 'v3' } }, { name: 'v1', labels: { version: 'v1' } }], weights: { v1: 50, v3: 50 } },
      'invalid weights.destinations[1].subset: "v3"; allowed: a subset of reviews: testversion, v1'],
    ['a policy both in subsets and subsetPolicies', { subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: {} }], subsetPolicies: { v1: {} } },
      /invalid subsetPolicies.v1: "v1"; allowed: a subset without its own trafficPolicy in subsets/],
    ['no weights while no subset selects the stable track', { subsets: [{ name: 'new', labels: { version: 'v3' } }] },
      /invalid weights: undefined; allowed: weights over the subsets \(new\): none selects the stable track reviews/],
    ['subsets not a list (plain JavaScript)', { subsets: 'v1' as any }, /invalid subsets: "v1"/],
  ])('refused: %s', (_name, route, message) => {
    expect(refused(route)).toThrow(message);
  });
});
