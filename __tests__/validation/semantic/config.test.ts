import { ruleTable } from './table';

const configMap = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'shop' }, data: { 'app.properties': 'a=b', LOG_LEVEL: 'info' }, binaryData: { 'logo.png': 'iVBORw0KGgo=' } });
ruleTable('ConfigMap', configMap, [
  ['key with a slash', (m) => { m.data['conf/app'] = 'x'; }, 'data.conf/app', 'a valid config key'],
  ['key ..', (m) => { m.data['..data'] = 'x'; }, 'data...data', 'a valid config key'],
  ['key in data and binaryData', (m) => { m.binaryData.LOG_LEVEL = 'aW5mbw=='; }, 'binaryData.LOG_LEVEL', 'duplicate of key present in data'],
  ['binaryData not base64', (m) => { m.binaryData['logo.png'] = 'not base64!'; }, 'binaryData.logo.png', 'illegal base64 data'],
  ['over 1 MiB', (m) => { m.data.big = 'x'.repeat(1024 * 1024); }, 'data', 'must have at most 1048576 bytes'],
]);

const secret = () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' } });
ruleTable('Secret', secret, [
  ['tls Secret without tls.key', (m) => { delete m.data['tls.key']; }, 'data[tls.key]', 'needs tls.key'],
  ['data not base64', (m) => { m.data['tls.crt'] = 'cert'; m.data['tls.crt'] = '***'; }, 'data.tls.crt', 'illegal base64 data'],
  ['key invalid', (m) => { m.data['a b'] = 'eA=='; }, 'data.a b', 'a valid config key'],
  ['over 1 MiB', (m) => { m.data.big = 'A'.repeat(1.5 * 1024 * 1024); }, 'data', 'must have at most 1048576 bytes'],
  ['service-account-token without the annotation', (m) => { m.type = 'kubernetes.io/service-account-token'; }, 'metadata.annotations[kubernetes.io/service-account.name]', 'Required value'],
]);
