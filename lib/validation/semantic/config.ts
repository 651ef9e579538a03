import { isConfigKey, Report } from './rules';

/*
 * ConfigMap and Secret rules of the API server: valid keys, a key not in both data maps, at most
 * 1 MiB in total, base64 in binary fields, and the keys each Secret type requires.
 */

const MAX_SIZE = 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SECRET_TYPE_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** Bytes of a string value (base64 values count their decoded size, as the server stores them). */
function byteSize(value: unknown, base64: boolean): number {
  const s = String(value ?? '');
  if (!base64) return Buffer.byteLength(s, 'utf8');
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - padding;
}

function validateKeys(r: Report, m: any, fields: ReadonlyArray<[string, boolean]>, kind: string): Set<string> {
  const keys = new Set<string>();
  let size = 0;
  for (const [field, base64] of fields) {
    for (const [k, v] of Object.entries<any>(m[field] ?? {})) {
      if (!isConfigKey(k)) r.error(`${field}.${k}`, `Invalid value: ${JSON.stringify(k)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name')`);
      if (keys.has(k) && kind === 'ConfigMap') r.error(`${field}.${k}`, `Invalid value: ${JSON.stringify(k)}: duplicate of key present in data`);
      if (base64 && typeof v === 'string' && !BASE64.test(v)) r.error(`${field}.${k}`, 'Invalid value: illegal base64 data');
      keys.add(k);
      size += byteSize(v, base64);
    }
  }
  if (size > MAX_SIZE) r.error('data', `Too long: must have at most ${MAX_SIZE} bytes (got ${size})`);
  return keys;
}

export function validateConfigMap(m: any, r: Report): void {
  validateKeys(r, m, [['data', false], ['binaryData', true]], 'ConfigMap');
}

export function validateSecret(m: any, r: Report): void {
  const keys = validateKeys(r, m, [['data', true], ['stringData', false]], 'Secret');
  const type = m.type ?? 'Opaque';
  for (const key of SECRET_TYPE_KEYS[type] ?? []) {
    if (!keys.has(key)) r.error(`data[${key}]`, `Required value: a ${type} Secret needs ${key}`);
  }
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) r.error('data', 'Required value: a kubernetes.io/basic-auth Secret needs username or password');
  if (type === 'kubernetes.io/service-account-token' && !m.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    r.error('metadata.annotations[kubernetes.io/service-account.name]', 'Required value');
  }
}
