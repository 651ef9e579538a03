import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CACHE_UNUSED_DAYS, markCacheFileUsed, pruneCacheDir } from '../../lib/core/cache-dir';

const DAY = 24 * 60 * 60 * 1000;

function aged(file: string, days: number): void {
  fs.writeFileSync(file, 'x');
  const when = new Date(Date.now() - days * DAY);
  fs.utimesSync(file, when, when);
}

describe('cache directory housekeeping', () => {
  test('files unused for the limit are removed, used ones kept; at most once a day', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-prune-'));
    aged(path.join(dir, 'validator-old.js'), CACHE_UNUSED_DAYS + 5);
    aged(path.join(dir, 'yaml-recent.bin'), 2);
    aged(path.join(dir, 'validator-in-use.js'), CACHE_UNUSED_DAYS + 5);
    markCacheFileUsed(path.join(dir, 'validator-in-use.js'));
    pruneCacheDir(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['.pruned', 'validator-in-use.js', 'yaml-recent.bin']);
    // Within the day, nothing is looked at again.
    aged(path.join(dir, 'valid-objects-old.txt'), CACHE_UNUSED_DAYS + 5);
    pruneCacheDir(dir);
    expect(fs.existsSync(path.join(dir, 'valid-objects-old.txt'))).toBe(true);
    // A day later it goes.
    pruneCacheDir(dir, Date.now() + DAY + 1000);
    expect(fs.existsSync(path.join(dir, 'valid-objects-old.txt'))).toBe(false);
  });

  test('marking is cheap: a file used today is not rewritten', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-mark-'));
    const file = path.join(dir, 'f');
    aged(file, 0.5);
    const before = fs.statSync(file).mtimeMs;
    markCacheFileUsed(file);
    expect(fs.statSync(file).mtimeMs).toBe(before);
    markCacheFileUsed(path.join(dir, 'missing')); // no error
  });
});
