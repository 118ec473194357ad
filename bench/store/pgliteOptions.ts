import { types } from '@electric-sql/pglite';

/** The options the PGlite store used before issue 14 (relaxed durability, int8 as text). */
export const PGLITE_OPTIONS = {
  parsers: { [types.INT8]: (value: string) => value },
  relaxedDurability: true,
  postgresqlconf: 'synchronous_commit = off',
};
