import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exemptionAnnotation, Finding, FindingPolicy, loadValidationConfig, ValidationConfigError } from '../../lib';
import { re2RegExp } from '../../lib/validation/re2-pattern';

const finding = (check: string, severity: 'error' | 'warning' = 'error', object = 'Deployment/shop/api'): Finding => ({
  file: 'prod/50-api.yaml', object, path: 'spec', message: 'bad', severity, check,
});
const deployment = (annotations: Record<string, unknown>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', annotations },
});

describe('FindingPolicy', () => {
  test('the annotation key is the check name with / replaced by -', () => {
    expect(exemptionAnnotation('policy/pinned-images')).toBe('ignore-check.cdk8s-microservices.io/policy-pinned-images');
    expect(exemptionAnnotation('schema/missing')).toBe('ignore-check.cdk8s-microservices.io/schema-missing');
  });

  test('an exempted finding is kept, marked with its reason and original severity; other checks and objects are untouched', () => {
    const policy = new FindingPolicy();
    policy.add('prod/50-api.yaml', deployment({ [exemptionAnnotation('policy/pinned-images')]: 'vendor digest' }));
    const [exempted, other, elsewhere] = policy.apply([
      finding('policy/pinned-images', 'warning'), finding('schema'), finding('policy/pinned-images', 'error', 'Deployment/shop/web'),
    ]);
    expect(exempted).toMatchObject({ severity: 'exempted', exemption: { reason: 'vendor digest', severity: 'warning' } });
    expect(other.severity).toBe('error');
    expect(elsewhere.severity).toBe('error');
  });

  test('an empty or non-string reason is an error of its own', () => {
    const policy = new FindingPolicy();
    policy.add('prod/50-api.yaml', deployment({ [exemptionAnnotation('schema')]: '', [exemptionAnnotation('metadata')]: 3 }));
    const findings = policy.apply([finding('schema')]);
    expect(findings.map((f) => [f.check, f.severity, f.path])).toEqual([
      ['schema', 'error', 'spec'],
      ['exemption', 'error', 'metadata.annotations["ignore-check.cdk8s-microservices.io/schema"]'],
      ['exemption', 'error', 'metadata.annotations["ignore-check.cdk8s-microservices.io/metadata"]'],
    ]);
  });

  test('project severities turn a check into warnings, or off', () => {
    const policy = new FindingPolicy({ severities: { 'policy/pinned-images': 'warning', 'cross-reference': 'off' } });
    expect(policy.apply([finding('policy/pinned-images'), finding('cross-reference'), finding('schema')]).map((f) => [f.check, f.severity]))
      .toEqual([['policy/pinned-images', 'warning'], ['schema', 'error']]);
  });
});

describe('cdk8s-microservices.yaml', () => {
  const write = (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-'));
    fs.writeFileSync(path.join(dir, 'cdk8s-microservices.yaml'), text);
    return dir;
  };
  const withoutMirrorVariable = <T>(fn: () => T): T => {
    const saved = process.env.CDK8S_SCHEMA_MIRROR;
    delete process.env.CDK8S_SCHEMA_MIRROR;
    try {
      return fn();
    } finally {
      if (saved !== undefined) process.env.CDK8S_SCHEMA_MIRROR = saved;
    }
  };

  test('no file: nothing configured', () => {
    expect(loadValidationConfig(fs.mkdtempSync(path.join(os.tmpdir(), 'config-')))).toEqual({ schemas: {}, severities: {}, externalNamespaces: [], externalObjects: [] });
  });

  test('paths are relative to the file; URLs are kept; severities and namespaces are read', () => {
    const dir = write('schemaMirrors: [../mirror]\nschemaLocations: [crds, "https://example.com/crd.yaml"]\nignoreMissingSchemas: true\n'
      + 'externalNamespaces: [monitoring]\nexternalObjects: [ClusterIssuer/letsencrypt-prod, Secret/istio-system/tls]\nchecks:\n  policy/pinned-images: warning\n');
    expect(withoutMirrorVariable(() => loadValidationConfig(dir))).toEqual({
      schemas: { schemaMirrors: [path.resolve(dir, '../mirror')], schemaLocations: [path.join(dir, 'crds'), 'https://example.com/crd.yaml'], ignoreMissingSchemas: true },
      severities: { 'policy/pinned-images': 'warning' },
      externalNamespaces: ['monitoring'],
      externalObjects: ['ClusterIssuer/letsencrypt-prod', 'Secret/istio-system/tls'],
    });
  });

  test('an external object that is not Kind/name or Kind/namespace/name is refused', () => {
    expect(() => loadValidationConfig(write('externalObjects: [letsencrypt-prod]\n'))).toThrow(/invalid externalObjects\[0\]: "letsencrypt-prod"; allowed: Kind\/name \(cluster-scoped\) or Kind\/namespace\/name/);
  });

  test('CDK8S_SCHEMA_MIRROR replaces the file\'s mirrors', () => {
    const dir = write('schemaMirrors: [../mirror]\n');
    process.env.CDK8S_SCHEMA_MIRROR = '/elsewhere';
    try {
      expect(loadValidationConfig(dir).schemas.schemaMirrors).toEqual([]);
    } finally {
      delete process.env.CDK8S_SCHEMA_MIRROR;
    }
  });

  test.each([
    ['unknown key', 'schemaMirror: [x]\n', /invalid schemaMirror: \["x"\]; allowed: one of the keys/],
    ['bad severity', 'checks:\n  schema: fatal\n', /invalid checks\.schema: "fatal"; allowed: error, warning, off/],
    ['locations not a list', 'schemaLocations: crds\n', /invalid schemaLocations: "crds"; allowed: a list of non-empty strings/],
    ['flag not boolean', 'ignoreMissingSchemas: "yes"\n', /invalid ignoreMissingSchemas: "yes"; allowed: true or false/],
  ])('%s is refused naming the file, field and value', (_name, text, message) => {
    const dir = write(text);
    expect(() => withoutMirrorVariable(() => loadValidationConfig(dir))).toThrow(ValidationConfigError);
    expect(() => withoutMirrorVariable(() => loadValidationConfig(dir))).toThrow(message);
  });
});

describe('RE2 patterns of upstream schemas', () => {
  test.each([
    ['^(?i)(abort|warn)?$', 'WARN', 'later'],
    ['^((?i)sun|mon)day$', 'SUNday', 'sunDAY'],
    ['^(?P<key>[[:alpha:]]+)\\z', 'abc', 'ab1'],
    ['\\Aa.b\\z', 'axb', 'axbc'],
    ['^\\Q1.5\\E$', '1.5', '105'],
  ])('%s is compiled as RE2: accepts %s, refuses %s', (pattern, accepted, refused) => {
    const rx = re2RegExp(pattern, 'u');
    expect(rx.test(accepted)).toBe(true);
    expect(rx.test(refused)).toBe(false);
  });

  test('patterns JavaScript reads stay native RegExps', () => {
    expect(re2RegExp('^[a-z]+$', 'u')).toBeInstanceOf(RegExp);
  });
});
