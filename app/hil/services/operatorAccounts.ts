import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { HilConfig } from '../../config/hil';
import type { Operator, OperatorRecord, Operators } from '../store/operators';
import type { AccessTokens } from './accessTokens';
import { hashPassword, verifyPassword } from './passwords';

export interface OperatorAccountsDeps {
  readonly config: HilConfig;
  readonly operators: Operators;
  readonly tokens: AccessTokens;
  readonly logger: Logger;
}

/** E-mails are compared as the hub's users type them, without case: `Admin@x` logs in as `admin@x`. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function publicOperator(record: OperatorRecord): Operator {
  return {
    id: record.id,
    email: record.email,
    fullName: record.fullName,
    isActive: record.isActive,
    isSuperuser: record.isSuperuser,
    createdAt: record.createdAt,
  };
}

/**
 * The admin API's operators (hil.md §2.9): the first superuser from FIRST_SUPERUSER, password logins
 * that hand out access tokens, and who a token belongs to.
 */
export class OperatorAccounts {
  /** Checked for unknown e-mails, so a login takes about as long whether the account exists or not. */
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: OperatorAccountsDeps) {}

  /**
   * Makes FIRST_SUPERUSER when no operator has that e-mail (like the hub's initial data); an existing one
   * is left as it is, password included. Nothing when it is unset.
   */
  async ensureFirstSuperuser(): Promise<void> {
    const first = this.deps.config.firstSuperuser;
    if (first === undefined) return;
    const email = normalizeEmail(first.email);
    if ((await this.deps.operators.byEmail(email)) !== undefined) return;
    const { created } = await this.deps.operators.create(email, null, await hashPassword(first.password));
    if (created) this.deps.logger.info({ operator: email }, 'first admin operator created');
  }

  /**
   * An access token for the right e-mail and password of an active operator, else undefined. An inactive
   * operator gets the same answer as a wrong password: the API does not tell who has an account.
   */
  async login(username: string, password: string): Promise<string | undefined> {
    const record = await this.deps.operators.byEmail(normalizeEmail(username));
    if (record === undefined) {
      await verifyPassword(password, await this.dummy());
      return undefined;
    }
    if (!(await verifyPassword(password, record.passwordHash)) || !record.isActive) return undefined;
    return this.deps.tokens.sign(record.id);
  }

  /** The operator a valid token names (active or not: the caller tells 401 from 403), else undefined. */
  async operatorOf(token: string): Promise<Operator | undefined> {
    const id = await this.deps.tokens.verify(token);
    if (id === undefined) return undefined;
    const record = await this.deps.operators.byId(id);
    return record === undefined ? undefined : publicOperator(record);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
    return this.dummyHash;
  }
}

/** Who answered, as the hub writes `responded_by`: the operator's full name, else the e-mail (hil.md §2.9). */
export function operatorName(operator: Operator): string {
  return operator.fullName !== null && operator.fullName.trim() !== '' ? operator.fullName : operator.email;
}
