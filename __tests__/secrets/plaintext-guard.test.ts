import { App } from 'cdk8s';
import { ConfigurationError, KedaScaler, KedaTrigger, MicroserviceChart, refusePlaintextSecret } from '../../lib';
import { IMAGE } from '../helpers';

// The constructs refuse a secret recognized by its value where a free string reaches env or config:
// the same rules as the policy/secret-value check of the output. The value is never shown.

const PASSWORD = ['hunter', '2-Sx9q'].join('');
const GITHUB = ['ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');

function refusal(build: () => unknown): ConfigurationError {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return e as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('plaintext guard: secrets by value', () => {
  test.each([
    ['env DATABASE_URL', { env: { DATABASE_URL: `postgres://orders:${PASSWORD}@db:5432/orders` } }, 'env.DATABASE_URL', 'url-credentials', PASSWORD],
    ['env with a token', { env: { GIT_REMOTE: GITHUB } }, 'env.GIT_REMOTE', 'github-token', GITHUB],
    ['config (env mode)', { config: { data: { database: { url: `mysql://app:${PASSWORD}@mysql:3306/shop` } } } }, 'config.data.database.url', 'url-credentials', PASSWORD],
    ['config (file mode)', { config: { mountAs: 'file', data: { jdbc: `jdbc:mysql://mysql:3306/shop?user=app&password=${PASSWORD}` } } }, 'config.data.jdbc', 'credential-assignment', PASSWORD],
    ['config list', { config: { data: { flags: ['--verbose', `--api-key=${PASSWORD}`] } } }, 'config.data.flags', 'credential-flag', PASSWORD],
  ])('%s: refused with the construct path, the field and the rule; the value is redacted', (_case, props, field, rule, secret) => {
    const e = refusal(() => new MicroserviceChart(new App(), 'orders', { image: IMAGE, ...props } as any));
    expect(e.constructPath).toMatch(/^orders/);
    expect(e.field).toBe(field);
    expect(e.value).toBe('<redacted>');
    expect(e.message).toContain(`(${rule})`);
    expect(e.message).toContain('SecretSource.fromExternalSecret');
    expect(e.message).not.toContain(secret);
  });

  test('a KEDA trigger with credentials in its server address is refused', () => {
    const app = new App();
    const svc = new MicroserviceChart(app, 'orders', { image: IMAGE });
    const e = refusal(() => new KedaScaler(svc, 'Scaler', {
      service: svc,
      triggers: [KedaTrigger.prometheus({ serverAddress: `http://admin:${PASSWORD}@prometheus:9090`, query: 'sum(up)', threshold: 10 })],
    }));
    expect(e.field).toMatch(/serverAddress$/);
    expect(e.message).toContain('(url-credentials)');
    expect(e.message).not.toContain(PASSWORD);
  });

  test('URLs without credentials, references and plain values pass', () => {
    expect(() => new MicroserviceChart(new App(), 'orders', {
      image: IMAGE,
      env: { DATABASE_URL: 'postgres://orders@db:5432/orders', DB_URL: 'postgres://orders:$(DB_PASSWORD)@db/orders', CACHE_TTL: '5m' },
      config: { data: { jwks: 'https://auth.example.com/.well-known/jwks.json', retries: 3, tls: true } },
    })).not.toThrow();
  });

  test('null and undefined from plain JavaScript pass through the guard (a placeholder is not a secret)', () => {
    const scope = new App();
    expect(() => refusePlaintextSecret(scope, 'env.X', 'X', null)).not.toThrow();
    expect(() => refusePlaintextSecret(scope, 'env.X', 'X', undefined)).not.toThrow();
    expect(() => refusePlaintextSecret(scope, 'env.DB_PASSWORD', 'DB_PASSWORD', PASSWORD)).toThrow(/invalid env.DB_PASSWORD: "<redacted>"/);
  });
});
