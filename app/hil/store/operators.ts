/**
 * The people who log in to the admin API (hil.md §2.9: the hub's users; here every operator sees every
 * request). Passwords are scrypt hashes (services/passwords.ts); the store never sees a password.
 */
export interface Operator {
  readonly id: string;
  /** Lower-case: the login name. */
  readonly email: string;
  readonly fullName: string | null;
  readonly isActive: boolean;
  readonly isSuperuser: boolean;
  /** ms since epoch. */
  readonly createdAt: number;
}

/** An operator with the hash a login is checked against: only the account service reads it. */
export interface OperatorRecord extends Operator {
  readonly passwordHash: string;
}

export interface Operators {
  byEmail(email: string): Promise<OperatorRecord | undefined>;
  byId(id: string): Promise<OperatorRecord | undefined>;
  /**
   * Makes the operator unless one has this e-mail; then returns that one unchanged (`created: false`),
   * so two instances starting together make one first superuser.
   */
  create(
    email: string,
    fullName: string | null,
    passwordHash: string,
    now?: number,
  ): Promise<{ readonly operator: OperatorRecord; readonly created: boolean }>;
}
