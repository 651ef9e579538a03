import { App } from 'cdk8s';
import { defaultChecks, MicroserviceChart, MicroserviceChartProps, PlatformNamespace, renderApp } from '../../lib';

/** An image of one bookinfo service and version (pinned tag, as the checks require). */
export const bookinfoImage = (service: string, version: string) => `harbor.example.com/bookinfo/${service}-${version}:1.20.3`;

/** The bookinfo application of Istio's samples: productpage, details, reviews (v1, v2, v3) and ratings on port 9080. */
export function bookinfo(extra: { reviews?: Partial<MicroserviceChartProps>; ratings?: Partial<MicroserviceChartProps> } = {}) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'bookinfo', istioInjection: true });
  const service = (name: string, props: Partial<MicroserviceChartProps> = {}) => new MicroserviceChart(app, name, {
    image: bookinfoImage(name, 'v1'), namespace: 'bookinfo', port: 9080, servicePort: 9080, partOf: 'bookinfo', ...props,
  });
  const productpage = service('productpage');
  const details = service('details', { callers: ['productpage'] });
  const reviews = service('reviews', {
    callers: ['productpage'],
    additionalTracks: [{ name: 'v2', image: bookinfoImage('reviews', 'v2') }, { name: 'v3', image: bookinfoImage('reviews', 'v3') }],
    ...extra.reviews,
  });
  const ratings = service('ratings', { callers: ['reviews'], ...extra.ratings });
  return { app, productpage, details, reviews, ratings };
}

/** Every rendered object of `app` with its file, as checks see them. */
export function manifests(app: App) {
  return renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
}

/** The findings of the default checks (schema, CEL, istio webhook rules, cross-references, …) over `app`. */
export function findings(app: App) {
  const objects = manifests(app);
  return defaultChecks().flatMap((c) => c.check(objects)).filter((f) => f.severity === 'error');
}
