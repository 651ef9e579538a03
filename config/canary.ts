import * as fs from 'fs';
import * as path from 'path';
import type { CanaryStateFile } from '../lib';

/** The committed canary state file of environment `env` (`CANARY_STATE_DIR` relocates it, for tests). */
export function canaryStatePath(env: string): string {
  return path.join(process.env.CANARY_STATE_DIR ?? __dirname, `${env}.canary.json`);
}

/** The canary state of `env` (empty when it has no file). */
export function loadCanaryState(env: string): CanaryStateFile {
  const file = canaryStatePath(env);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}
