import { PlatformConfig } from './types';

/** Settings every environment shares. */
export const platform: PlatformConfig = {
  partOf: 'ecommerce',
  registry: 'harbor.example.com/ecommerce',
  imagePullSecret: 'harbor-secret',
  gitRepoUrl: 'https://git.example.com/platform/ecommerce-deploy.git',
  gitRevision: 'main',
};
