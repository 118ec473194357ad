/**
 * Values the process generates once and every instance shares, by name: the admin API's token key when
 * SECRET_KEY is unset (hil.md §2.9), so a token made by one instance is valid on the others and after a
 * restart.
 */
export interface Settings {
  /**
   * The stored value, or `make()`'s, stored first: when two instances race, both get the one that was
   * stored first.
   */
  getOrCreate(name: string, make: () => string): Promise<string>;
}
