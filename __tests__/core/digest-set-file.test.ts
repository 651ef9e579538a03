import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DigestSetFile } from '../../lib/core/digest-set-file';

// Object digests remembered between runs (objects found clean, objects found valid): appended to,
// compacted at a limit, never trusting a line that is not a whole digest.

const digest = (i: number) => `${String(i).padStart(27, '0')}=`;

function scratch(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'digests-')), 'set.txt');
}

describe('DigestSetFile', () => {
  test('what a run adds is appended and read back by the next run; nothing is written when nothing was added', () => {
    const file = scratch();
    const first = new DigestSetFile(file);
    first.add(digest(1));
    first.add(digest(2));
    first.add(digest(1));
    first.persist();
    const written = fs.readFileSync(file, 'utf8');
    const second = new DigestSetFile(file);
    expect(second.has(digest(1)) && second.has(digest(2))).toBe(true);
    expect(second.has(digest(3))).toBe(false);
    second.persist();
    expect(fs.readFileSync(file, 'utf8')).toBe(written);
    second.add(digest(3));
    second.persist();
    // Appended: the earlier content is still the file's start.
    expect(fs.readFileSync(file, 'utf8').startsWith(written)).toBe(true);
    expect(new DigestSetFile(file).has(digest(3))).toBe(true);
  });

  test('past its limit the file is rewritten with the newest digests', () => {
    const file = scratch();
    const set = new DigestSetFile(file, 3);
    for (let i = 1; i <= 3; i++) set.add(digest(i));
    set.persist();
    set.add(digest(4));
    set.persist();
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    expect(lines).toEqual([digest(2), digest(3), digest(4)]);
    const next = new DigestSetFile(file, 3);
    expect(next.has(digest(1))).toBe(false);
    expect(next.has(digest(4))).toBe(true);
  });

  test('a line cut short or anything else that is not a digest is ignored; a missing file is an empty set', () => {
    const file = scratch();
    fs.writeFileSync(file, `${digest(1)}\n${digest(2).slice(0, 20)}\ngarbage\n`);
    const set = new DigestSetFile(file);
    expect(set.has(digest(1))).toBe(true);
    expect(set.has(digest(2).slice(0, 20))).toBe(false);
    expect(new DigestSetFile(path.join(path.dirname(file), 'none.txt')).has(digest(1))).toBe(false);
  });
});
