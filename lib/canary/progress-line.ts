/** Where progress is written: a terminal gets one rewritten line, anything else a line per update. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** Width of the terminal: a longer status line is cut, since a wrapped line cannot be rewritten in place. */
  readonly columns?: number;
  write(text: string): unknown;
}

/**
 * A live status line. On a terminal the line is rewritten in place (`update` as often as you
 * like); on a pipe or a log file each `update` with `important` set, or the first after
 * `quietMs` of silence, becomes its own line, so CI logs get updates without a line per second.
 */
export class ProgressLine {
  private open = false;
  private lastLineAt = -Infinity;

  constructor(private readonly stream: ProgressStream, private readonly quietMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Shows `text` as the current status. */
  public update(text: string, important = false): void {
    if (this.stream.isTTY) {
      const width = this.stream.columns;
      this.stream.write(`\r\x1b[2K${width && text.length >= width ? `${text.slice(0, Math.max(1, width - 2))}…` : text}`);
      this.open = true;
      return;
    }
    if (!important && this.now() - this.lastLineAt < this.quietMs) return;
    this.stream.write(`${text}\n`);
    this.lastLineAt = this.now();
  }

  /** A permanent line (an event), written below the status line. */
  public log(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    this.lastLineAt = this.now();
  }

  /** Ends the status line, leaving the terminal on a fresh line. */
  public clear(): void {
    if (this.open) this.stream.write('\r\x1b[2K');
    this.open = false;
  }
}

/** "1h 2m 3s", "4m 05s", "7s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
