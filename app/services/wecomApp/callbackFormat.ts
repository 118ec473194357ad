import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { ApprovalState } from './approvalState';

/**
 * The one parser of what a self-built app's callback carries once decrypted (wecom-aibot-protocol.md
 * §13: XML, receiveid = corp id). Only `sys_approval_change` is read (hil.md §3.4 item 4, WeCom doc
 * 91815 审批申请状态变化回调通知); every other message or event is `other` and ignored by the caller.
 */
export type AppCallbackEvent =
  | { readonly kind: 'approval_change'; readonly state: ApprovalState }
  | { readonly kind: 'other'; readonly msgType: string; readonly event: string };

export class AppCallbackParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppCallbackParseError';
  }
}

// Repeated elements: one occurrence must still read as a list. Values stay strings (ids are digits).
const REPEATED = new Set(['SpRecord', 'Details', 'Comments']);
const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => REPEATED.has(name),
});

const str = z.string().default('');
const int = z.coerce.number().int().catch(0);
const person = z.looseObject({ UserId: str }).catch({ UserId: '' });

const ApprovalInfo = z.looseObject({
  SpNo: z.string().min(1),
  SpStatus: z.coerce.number().int(),
  SpRecord: z
    .array(
      z.looseObject({
        SpStatus: int,
        Details: z
          .array(z.looseObject({ Approver: person, Speech: str.catch(''), SpStatus: int, SpTime: int }))
          .default([]),
      }),
    )
    .default([]),
  Comments: z
    .array(z.looseObject({ CommentUserInfo: person, CommentContent: str.catch(''), CommentTime: int }))
    .default([]),
});

const Message = z.looseObject({
  MsgType: str,
  Event: str.catch(''),
  ApprovalInfo: z.unknown().optional(),
});

export function parseAppCallback(xml: string): AppCallbackEvent {
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch {
    throw new AppCallbackParseError('WeCom app callback: the decrypted message is not valid XML');
  }
  const root = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['xml'] : undefined;
  const message = Message.safeParse(root);
  if (!message.success) throw new AppCallbackParseError('WeCom app callback: the message has no <xml> fields');
  const { MsgType, Event } = message.data;
  if (MsgType !== 'event' || Event !== 'sys_approval_change') return { kind: 'other', msgType: MsgType, event: Event };
  const info = ApprovalInfo.safeParse(message.data.ApprovalInfo);
  if (!info.success)
    throw new AppCallbackParseError('WeCom app callback: sys_approval_change without a readable ApprovalInfo');
  return { kind: 'approval_change', state: stateOf(info.data) };
}

function stateOf(info: z.infer<typeof ApprovalInfo>): ApprovalState {
  return {
    spNo: info.SpNo,
    spStatus: info.SpStatus,
    records: info.SpRecord.map((r) => ({
      spStatus: r.SpStatus,
      details: r.Details.map((d) => ({
        userid: d.Approver.UserId,
        speech: d.Speech,
        spStatus: d.SpStatus,
        time: d.SpTime,
      })),
    })),
    comments: info.Comments.map((c) => ({
      userid: c.CommentUserInfo.UserId,
      text: c.CommentContent,
      time: c.CommentTime,
    })),
  };
}
