import { formatDuration, ProgressLine } from '../../lib';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (t: string) => writes.push(t) };
}

describe('ProgressLine', () => {
  test('a terminal gets one line rewritten in place, events below it', () => {
    const s = stream(true);
    const p = new ProgressLine(s);
    p.update('stage 1/4: measuring in 5s');
    p.update('stage 1/4: measuring in 4s');
    p.log('healthy');
    expect(s.writes).toEqual(['\r\x1b[2Kstage 1/4: measuring in 5s', '\r\x1b[2Kstage 1/4: measuring in 4s', '\r\x1b[2K', 'healthy\n']);
  });

  test('a terminal line longer than the terminal is cut (a wrapped line cannot be rewritten)', () => {
    const s = { ...stream(true), columns: 12 };
    new ProgressLine(s).update('stage 1/4: measuring in 5s');
    expect(s.writes).toEqual(['\r\x1b[2Kstage 1/4:…']);
  });

  test('a pipe gets a line per important update, and otherwise at most one per quiet period', () => {
    let now = 0;
    const s = stream(false);
    const p = new ProgressLine(s, 60_000, () => now);
    p.update('measuring in 5m', true);
    now = 1000;
    p.update('measuring in 4m 59s'); // within the quiet period: dropped
    now = 61_000;
    p.update('measuring in 3m 59s');
    p.update('measuring in 1s', true);
    expect(s.writes).toEqual(['measuring in 5m\n', 'measuring in 3m 59s\n', 'measuring in 1s\n']);
    expect(s.writes.join('')).not.toContain('\r');
  });

  test.each([[0, '0s'], [7_200, '8s'], [65_000, '1m 05s'], [3_723_000, '1h 2m 03s']])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
