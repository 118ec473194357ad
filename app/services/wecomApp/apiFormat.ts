import { z } from 'zod';
import type { ApprovalState } from './approvalState';

/**
 * The one parser of the WeCom server API's JSON answers the self-built app reads (hil.md §3.4):
 * gettoken, oa/gettemplatedetail, oa/applyevent, oa/getapprovaldetail. Every answer carries
 * `errcode` (0 = ok) and `errmsg`; the rest is read only when errcode is 0.
 */

const Status = z.looseObject({ errcode: z.number().int(), errmsg: z.string().default('') });
export type ApiStatus = z.infer<typeof Status>;

/** The errcode/errmsg of any answer, or undefined when the body is no WeCom answer at all. */
export function statusOf(body: unknown): ApiStatus | undefined {
  const parsed = Status.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

const Token = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
export function readToken(body: unknown): { readonly token: string; readonly expiresInS: number } | undefined {
  const parsed = Token.safeParse(body);
  return parsed.success ? { token: parsed.data.access_token, expiresInS: parsed.data.expires_in } : undefined;
}

const Text = z.array(z.looseObject({ text: z.string(), lang: z.string().optional() }));

/** A control of a template: its type (Text, Textarea, Number, …), id and title(s). */
export interface TemplateControl {
  readonly control: string;
  readonly id: string;
  readonly titles: readonly string[];
}

const Template = z.looseObject({
  template_content: z.looseObject({
    controls: z.array(
      z.looseObject({
        property: z.looseObject({ control: z.string(), id: z.string(), title: Text.default([]) }),
      }),
    ),
  }),
});

export function readTemplateControls(body: unknown): TemplateControl[] | undefined {
  const parsed = Template.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.template_content.controls.map(({ property }) => ({
    control: property.control,
    id: property.id,
    titles: property.title.map((t) => t.text),
  }));
}

const Applied = z.looseObject({ sp_no: z.union([z.string().min(1), z.number().int()]).transform(String) });
export function readSpNo(body: unknown): string | undefined {
  const parsed = Applied.safeParse(body);
  return parsed.success ? parsed.data.sp_no : undefined;
}

const int = z.coerce.number().int().catch(0);
const Detail = z.looseObject({
  info: z.looseObject({
    sp_no: z.union([z.string(), z.number()]).transform(String),
    sp_status: z.coerce.number().int(),
    sp_record: z
      .array(
        z.looseObject({
          sp_status: int,
          details: z
            .array(
              z.looseObject({
                approver: z.looseObject({ userid: z.string().default('') }).default({ userid: '' }),
                speech: z.string().default(''),
                sp_status: int,
                sptime: int,
              }),
            )
            .default([]),
        }),
      )
      .default([]),
    comments: z
      .array(
        z.looseObject({
          commentUserInfo: z.looseObject({ userid: z.string().default('') }).default({ userid: '' }),
          commentcontent: z.string().default(''),
          commenttime: int,
        }),
      )
      .default([]),
  }),
});

/** getapprovaldetail's `info` (field names of the JSON API, unlike the callback's XML). */
export function readApprovalDetail(body: unknown): ApprovalState | undefined {
  const parsed = Detail.safeParse(body);
  if (!parsed.success) return undefined;
  const { info } = parsed.data;
  return {
    spNo: info.sp_no,
    spStatus: info.sp_status,
    records: info.sp_record.map((r) => ({
      spStatus: r.sp_status,
      details: r.details.map((d) => ({
        userid: d.approver.userid,
        speech: d.speech,
        spStatus: d.sp_status,
        time: d.sptime,
      })),
    })),
    comments: info.comments.map((c) => ({
      userid: c.commentUserInfo.userid,
      text: c.commentcontent,
      time: c.commenttime,
    })),
  };
}
