/**
 * The approvals (审批单) the fake WeCom API holds, and how they read in the two shapes WeCom reports them:
 * getapprovaldetail's JSON (WeCom doc 91983) and the sys_approval_change callback's XML (doc 91815).
 * Independent of app/: the gateway's parsers are checked against what is written here.
 */

export interface FakeDecision {
  readonly userid: string;
  readonly speech: string;
  /** Detail SpStatus: 1 审批中, 2 已同意, 3 已驳回. */
  readonly status: number;
  readonly time: number;
}

export interface FakeComment {
  readonly userid: string;
  readonly text: string;
  readonly time: number;
}

export interface FakeApproval {
  readonly spNo: string;
  readonly templateId: string;
  readonly creator: string;
  /** The applyevent body as received. */
  readonly applied: Record<string, unknown>;
  status: number;
  records: FakeDecision[][];
  comments: FakeComment[];
}

export function detailJson(a: FakeApproval): Record<string, unknown> {
  return {
    errcode: 0,
    errmsg: 'ok',
    info: {
      sp_no: a.spNo,
      sp_name: 'HumanLoop',
      sp_status: a.status,
      template_id: a.templateId,
      apply_time: 1765000000,
      applyer: { userid: a.creator, partyid: '1' },
      sp_record: a.records.map((details) => ({
        sp_status: recordStatus(details),
        approverattr: 2,
        details: details.map((d) => ({
          approver: { userid: d.userid },
          speech: d.speech,
          sp_status: d.status,
          sptime: d.time,
          media_id: [],
        })),
      })),
      notifyer: [],
      apply_data: a.applied['apply_data'] ?? { contents: [] },
      comments: a.comments.map((c, i) => ({
        commentUserInfo: { userid: c.userid },
        commenttime: c.time,
        commentcontent: c.text,
        commentid: String(6750538708562308220n + BigInt(i)),
        media_id: [],
      })),
    },
  };
}

function recordStatus(details: readonly FakeDecision[]): number {
  if (details.some((d) => d.status === 3)) return 3;
  return details.every((d) => d.status === 2) ? 2 : 1;
}

const cdata = (s: string): string => `<![CDATA[${s}]]>`;

/** The decrypted sys_approval_change of `a` as it is now (doc 91815's layout, with its whitespace). */
export function changeXml(a: FakeApproval, corpId: string, agentId: string, createTime: number): string {
  const records = a.records
    .map(
      (details) => `
    <SpRecord>
      <SpStatus>${recordStatus(details)}</SpStatus>
      <ApproverAttr>2</ApproverAttr>${details
        .map(
          (d) => `
      <Details>
        <Approver>
          <UserId>${cdata(d.userid)}</UserId>
        </Approver>
        <Speech>${cdata(d.speech)}</Speech>
        <SpStatus>${d.status}</SpStatus>
        <SpTime>${d.time}</SpTime>
      </Details>`,
        )
        .join('')}
    </SpRecord>`,
    )
    .join('');
  const comments = a.comments
    .map(
      (c) => `
    <Comments>
      <CommentUserInfo>
        <UserId>${cdata(c.userid)}</UserId>
      </CommentUserInfo>
      <CommentTime>${c.time}</CommentTime>
      <CommentContent>${cdata(c.text)}</CommentContent>
      <CommentId>${cdata('6750538708562308220')}</CommentId>
    </Comments>`,
    )
    .join('');
  return `<xml>
  <ToUserName>${cdata(corpId)}</ToUserName>
  <FromUserName>${cdata('sys')}</FromUserName>
  <CreateTime>${createTime}</CreateTime>
  <MsgType>${cdata('event')}</MsgType>
  <Event>${cdata('sys_approval_change')}</Event>
  <AgentID>${agentId}</AgentID>
  <ApprovalInfo>
    <SpNo>${a.spNo}</SpNo>
    <SpName>${cdata('HumanLoop')}</SpName>
    <SpStatus>${a.status}</SpStatus>
    <TemplateId>${cdata(a.templateId)}</TemplateId>
    <ApplyTime>1765000000</ApplyTime>
    <Applyer>
      <UserId>${cdata(a.creator)}</UserId>
      <Party>${cdata('1')}</Party>
    </Applyer>${records}${comments}
    <StatuChangeEvent>${a.status}</StatuChangeEvent>
  </ApprovalInfo>
</xml>`;
}
