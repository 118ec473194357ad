/**
 * Collects rows and writes them in one statement every `intervalMs` (or at `maxRows`): the message
 * log is written for every message, and one multi-row statement costs about what one row does.
 * Writes never block the caller; failures go to `onError`.
 */
export class BatchWriter<Row> {
  private rows: Row[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 50,
    private readonly maxRows = 200,
  ) {}

  add(row: Row): void {
    this.rows.push(row);
    if (this.rows.length >= this.maxRows) this.flushSoon(0);
    else if (this.timer === undefined) this.flushSoon(this.intervalMs);
  }

  /** Writes what is queued and waits for every write started so far. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.startWrite();
    await this.writing;
  }

  private flushSoon(ms: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startWrite();
    }, ms);
    this.timer.unref();
  }

  private startWrite(): void {
    if (this.rows.length === 0) return;
    const batch = this.rows;
    this.rows = [];
    // One write at a time, in order: a `finished` row must not overtake its `received` row.
    this.writing = this.writing.then(() => this.write(batch)).catch(this.onError);
  }
}

/** `($1, $2), ($3, $4)` for rows × columns, with a per-column cast suffix. */
export function valuesList(rowCount: number, casts: readonly string[]): string {
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r += 1) {
    rows.push(`(${casts.map((cast, c) => `$${r * casts.length + c + 1}${cast}`).join(', ')})`);
  }
  return rows.join(', ');
}
