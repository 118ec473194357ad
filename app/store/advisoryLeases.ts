import type { Database, Session } from './database';
import type { Leases } from './leases';

/** A Database without dedicated sessions (a test double over one connection): every lease is granted. */
class GrantedLeases implements Leases {
  tryHold(): Promise<boolean> {
    return Promise.resolve(true);
  }

  holds(): boolean {
    return true;
  }

  close(): void {}
}

class AdvisoryLeases implements Leases {
  private session: Promise<Session> | undefined;
  private readonly held = new Set<string>();

  constructor(private readonly open: (onLost: (err: Error) => void) => Promise<Session>) {}

  async tryHold(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const session = await this.sessionOf();
    // hashtextextended: a stable 64-bit key for the name (PostgreSQL 11+).
    const { rows } = await session.query<{ held: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held',
      [name],
    );
    const held = rows[0]?.held === true;
    if (held) this.held.add(name);
    return held;
  }

  holds(name: string): boolean {
    return this.held.has(name);
  }

  close(): void {
    const session = this.session;
    this.session = undefined;
    this.held.clear();
    void session?.then(
      (s) => s.end(),
      () => undefined,
    );
  }

  private sessionOf(): Promise<Session> {
    this.session ??= this.open(() => this.lost()).catch((err: unknown) => {
      this.session = undefined;
      throw err;
    });
    return this.session;
  }

  /** The connection broke: PostgreSQL released its locks, so nothing is held any more. */
  private lost(): void {
    this.close();
  }
}

export function createLeases(db: Database): Leases {
  const open = db.openSession?.bind(db);
  return open === undefined ? new GrantedLeases() : new AdvisoryLeases(open);
}
