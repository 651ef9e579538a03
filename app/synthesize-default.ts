import * as path from 'path';
import { defaultChecks, synthesize, SynthesisResult } from '../lib';
import { buildDefaultApps } from './index';

/** Where the default app is written: `DIST_DIR`, else `dist/` of the project. */
export function defaultOutdir(): string {
  return process.env.DIST_DIR ?? path.join(__dirname, '..', 'dist');
}

/**
 * Synthesizes the default app with every check of `npm run validate` into `outdir`, replacing it
 * in one step (a failure leaves it as it was).
 */
export function synthesizeDefaultApp(outdir = defaultOutdir(), mirrorDir?: string): SynthesisResult {
  return synthesize({ apps: buildDefaultApps(outdir), outdir, mirrorDir, checks: defaultChecks() });
}
