import { dev } from './dev';
import { prod } from './prod';
import { EnvironmentConfig } from './types';

export * from './types';
export { platform } from './platform';
export { canaryStatePath, loadCanaryState } from './canary';
export { dev, prod };

/** Every environment synthesized by default, in output order. */
export const environments: readonly EnvironmentConfig[] = [dev, prod];
