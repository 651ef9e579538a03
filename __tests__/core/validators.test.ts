import { App, Chart } from 'cdk8s';
import { ConfigurationError, isQuantity, parseImage, quantityValue, validateAtSynthesis, validators as v } from '../../lib';
import { thrownBy } from '../helpers';

const scope = () => new Chart(new App(), 'my-chart');

const errorOf = (fn: () => unknown): ConfigurationError => thrownBy(ConfigurationError, fn);

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

describe('shape validators for plain JavaScript input', () => {
  test.each([
    ['object', () => v.object(scope(), 'spec', null), 'invalid spec: null; allowed: an object'],
    ['object refuses a list', () => v.object(scope(), 'spec', [] as any), 'invalid spec: []; allowed: an object'],
    ['list', () => v.list(scope(), 'items', 'a' as any), 'invalid items: "a"; allowed: a list'],
    ['text', () => v.text(scope(), 'name', ''), 'invalid name: ""; allowed: a non-empty string'],
    ['optionalBoolean', () => v.optionalBoolean(scope(), 'tls', 'false'), 'invalid tls: "false"; allowed: true or false'],
    ['number', () => v.number(scope(), 'q', NaN, 0, 1), 'invalid q: NaN; allowed: a number from 0 to 1'],
    ['stringMap', () => v.stringMap(scope(), 'env', { A: 1 } as any), 'invalid env["A"]: 1; allowed: a string'],
    ['instance names a construct by its path', () => v.instance(scope(), 'service', scope(), Date, 'a Date'), 'invalid service: Chart at my-chart; allowed: a Date'],
    ['a factory names itself', () => v.text('Match.header', 'name', undefined), '[Match.header] invalid name: undefined; allowed: a non-empty string'],
  ])('%s', (_name, fn, message) => {
    expect(errorOf(fn).message).toContain(message);
  });

  test.each([undefined, null])('optional validators treat %p as not given', (value) => {
    expect(v.isSet(value)).toBe(false);
    expect(v.optionalObject(scope(), 'x', value)).toBeUndefined();
    expect(v.optionalList(scope(), 'x', value)).toEqual([]);
    expect(v.optionalText(scope(), 'x', value)).toBeUndefined();
    expect(v.optionalBoolean(scope(), 'x', value)).toBeUndefined();
    expect(v.stringMap(scope(), 'x', value)).toEqual({});
    expect(v.labels(scope(), 'x', value)).toEqual({});
  });

  test('validateAtSynthesis turns a ConfigurationError into a validation message of the construct', () => {
    const chart = scope();
    v.integer(chart, 'ok', 1, 0, 2);
    validateAtSynthesis(chart, () => v.port(chart, 'port', 0));
    validateAtSynthesis(chart, () => undefined);
    expect(chart.node.validate()).toEqual(['invalid port: 0; allowed: an integer from 1 to 65535']);
  });
});
