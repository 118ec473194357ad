import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InboundParseError, parseInbound, type WecomInbound } from '../../../../app/services/wecom/inbound';

/** Helpers shared by the inbound parser tests (jest only runs *.test.ts, so this is not a suite). */

// Fixtures are the examples of wecom-aibot-protocol.md §5.3–§5.10 and the TV-6 plaintext of §14.2.
const FIXTURES = join(__dirname, '../../../fixtures/wecom/inbound');
export const raw = (name: string): string => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
export const parse = (name: string): WecomInbound => parseInbound(raw(name));

// Tests edit arbitrary nested fields of the fixtures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
/** A fixture re-serialised after `change` edits it — for the malformed-payload cases. */
export function mutated(name: string, change: (o: Json) => void): string {
  const o = JSON.parse(raw(name)) as Json;
  change(o);
  return JSON.stringify(o);
}

type Variant<T extends WecomInbound['msgtype']> = Extract<WecomInbound, { msgtype: T }>;
/** Narrows to one variant, failing the test otherwise. */
export function variant<T extends WecomInbound['msgtype']>(m: WecomInbound, t: T): Variant<T> {
  expect(m.msgtype).toBe(t);
  return m as Variant<T>;
}

export function parseError(plaintext: string): InboundParseError {
  try {
    parseInbound(plaintext);
  } catch (e) {
    expect(e).toBeInstanceOf(InboundParseError);
    return e as InboundParseError;
  }
  throw new Error('expected parseInbound to throw');
}
