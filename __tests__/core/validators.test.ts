import { App, Chart } from 'cdk8s';
import { ConfigurationError, isQuantity, parseImage, quantityValue, validators as v } from '../../lib';

const scope = () => new Chart(new App(), 'my-chart');

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}

describe('validators', () => {
  test('errors name construct path, field, value and what is allowed', () => {
    const e = errorOf(() => v.port(scope(), 'spec.port', 70000));
    expect(e.constructPath).toBe('my-chart');
    expect(e.field).toBe('spec.port');
    expect(e.value).toBe(70000);
    expect(e.message).toBe('[my-chart] invalid spec.port: 70000; allowed: an integer from 1 to 65535');
  });

  test.each(['user-service', 'a', 'a1-b2'])('dns label %s accepted', (name) => {
    expect(v.dnsLabel(scope(), 'name', name)).toBe(name);
  });

  test.each(['User', '-a', 'a-', 'a_b', 'a'.repeat(64), '', 'a.b'])('dns label %s refused', (name) => {
    expect(() => v.dnsLabel(scope(), 'name', name)).toThrow(/RFC 1123 DNS label/);
  });

  test.each([0, 65536, 1.5, -1, NaN])('port %s refused', (port) => {
    expect(() => v.port(scope(), 'port', port)).toThrow(/from 1 to 65535/);
  });

  test('min/max', () => {
    expect(() => v.minMax(scope(), 'min', 5, 'max', 3)).toThrow('invalid max: 3; allowed: an integer no smaller than min (5)');
    expect(() => v.minMax(scope(), 'min', 0, 'max', 3)).toThrow(/invalid min: 0/);
    expect(() => v.minMax(scope(), 'min', 2, 'max', 2)).not.toThrow();
  });

  test.each(['100m', '1', '0.5', '512Mi', '2Gi', '1e3', '1.5G'])('quantity %s accepted', (q) => {
    expect(isQuantity(q)).toBe(true);
    expect(() => v.quantity(scope(), 'cpu', q)).not.toThrow();
  });

  test.each(['100 m', 'abc', '1.2.3', '5MB', '', '0'])('quantity %s refused', (q) => {
    expect(() => v.quantity(scope(), 'cpu', q)).toThrow(/invalid cpu/);
  });

  test('quantity values compare across suffixes', () => {
    expect(quantityValue('500m')).toBe(0.5);
    expect(quantityValue('1Gi')).toBe(1024 ** 3);
    expect(quantityValue('1G')).toBe(1e9);
    expect(() => v.requestWithinLimit(scope(), 'memoryRequest', '2Gi', '1Gi')).toThrow(/no larger than its limit \(1Gi\)/);
    expect(() => v.requestWithinLimit(scope(), 'cpuRequest', '500m', '1')).not.toThrow();
  });

  test('image references', () => {
    expect(parseImage('harbor.example.com:5000/ecommerce/user-service:v1.2.3')).toEqual({
      repository: 'harbor.example.com:5000/ecommerce/user-service', tag: 'v1.2.3', digest: undefined,
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImage(`nginx:1.25@${digest}`)).toEqual({ repository: 'nginx', tag: '1.25', digest });
    expect(v.image(scope(), 'image', `nginx@${digest}`).digest).toBe(digest);
    expect(() => v.image(scope(), 'image', 'nginx:latest')).toThrow(/pinned by a tag other than "latest"/);
    expect(() => v.image(scope(), 'image', 'nginx')).toThrow(/pinned/);
    expect(v.image(scope(), 'image', 'nginx:latest', true).tag).toBe('latest');
    expect(() => v.image(scope(), 'image', 'Harbor/UPPER:1')).toThrow(/image reference/);
    expect(() => v.image(scope(), 'image', 'nginx:1@sha256:abc')).toThrow(/image reference/);
  });

  test('label keys and values', () => {
    expect(() => v.labelKey(scope(), 'k', 'app.kubernetes.io/name')).not.toThrow();
    expect(() => v.labelKey(scope(), 'k', 'a/b/c')).toThrow(/label key/);
    expect(() => v.labelValue(scope(), 'v', 'x'.repeat(64))).toThrow(/label value/);
  });
});
