import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

/** Container resources the downward API exposes. */
export const CONTAINER_RESOURCE_FIELDS = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'] as const;

const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];

/** A pod field the downward API exposes to environment variables. */
export function podFieldPath(scope: IConstruct, field: string, value: unknown): string {
  if (typeof value === 'string' && (POD_FIELDS.includes(value) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(value))) return value;
  return fail(scope, field, value, `a pod field: ${POD_FIELDS.join(', ')}, metadata.labels['<key>'] or metadata.annotations['<key>']`);
}

