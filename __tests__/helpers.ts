import { App } from 'cdk8s';
import { renderApp } from '../lib';

/** Every object `app` renders, in output order. */
export function render(app: App): any[] {
  return renderApp(app).flatMap((f) => f.objects.map((o) => o.manifest));
}

/** The one object of `kind` named `name` (fails the test when there is not exactly one). */
export function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** All objects of `kind`. */
export function all(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

/** The (single) application container of a Deployment. */
export function container(deployment: any): any {
  return deployment.spec.template.spec.containers[0];
}

/** A valid image for tests. */
export const IMAGE = 'harbor.example.com/ecommerce/user-service:v1.2.3';
