import { SchemaRegistry } from '../../lib';

const registry = SchemaRegistry.default();

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } },
  },
});

describe('SchemaRegistry', () => {
  test('a valid core object passes', () => {
    expect(registry.validate(deployment())).toEqual([]);
  });

  test('unknown fields are errors, with their path', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(registry.validate(d)).toEqual([
      { path: 'spec.template.spec.containers[0].imagePullPolicyy', message: 'unknown field "imagePullPolicyy"', check: 'schema' },
    ]);
  });

  test('wrong types and missing required fields', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].ports[0].containerPort = '80';
    delete d.spec.selector;
    const paths = registry.validate(d).map((v) => `${v.path}: ${v.message}`);
    expect(paths).toContain("spec: must have required property 'selector'");
    expect(paths).toContain('spec.template.spec.containers[0].ports[0].containerPort: must be integer');
  });

  test('custom kinds against their CRD, including CEL rules', () => {
    const vs = (timeout: string) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'r', namespace: 'default' },
      spec: { hosts: ['user-service'], http: [{ timeout, route: [{ destination: { host: 'user-service' } }] }] },
    });
    expect(registry.validate(vs('5s'))).toEqual([]);
    const violations = registry.validate(vs('0s'));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ path: 'spec.http[0].timeout', check: 'cel' });
    expect(violations[0].message).toMatch(/duration\(self\) >= duration\('1ms'\)/);
  });

  test('unknown kinds are reported', () => {
    expect(registry.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0].message)
      .toMatch(/no schema for example.com\/v1\/Widget/);
  });
});
