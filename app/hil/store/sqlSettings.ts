import type { Queryable } from '../../store/database';
import type { Settings } from './settings';

/** The `settings` table of schema v4. */
export class SqlSettings implements Settings {
  constructor(private readonly db: Queryable) {}

  async getOrCreate(name: string, make: () => string): Promise<string> {
    const existing = await this.read(name);
    if (existing !== undefined) return existing;
    // DO NOTHING then read again: the loser of a race reads the winner's value instead of its own.
    await this.db.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      make(),
    ]);
    const value = await this.read(name);
    if (value === undefined) throw new Error(`setting ${name} was stored but cannot be read`);
    return value;
  }

  private async read(name: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
    return rows[0]?.value;
  }
}
