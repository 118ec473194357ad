import { AppCallbackParseError, parseAppCallback } from '../../../../app/services/wecomApp/callbackFormat';

/** WeCom doc 91815's sample of sys_approval_change, with a second approver and a comment. */
const SAMPLE = `<xml>
  <ToUserName><![CDATA[ww1cSD21f1e9c0caaa]]></ToUserName>
  <FromUserName><![CDATA[sys]]></FromUserName>
  <CreateTime>1571732272</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[sys_approval_change]]></Event>
  <AgentID>3010040</AgentID>
  <ApprovalInfo>
    <SpNo>201910220003</SpNo>
    <SpName><![CDATA[示例模板]]></SpName>
    <SpStatus>3</SpStatus>
    <TemplateId><![CDATA[3TkaH5KFbrG9heEQWLJjhgpFwmqAFB4dLEnapaB7aaa]]></TemplateId>
    <ApplyTime>1571728713</ApplyTime>
    <Applyer><UserId><![CDATA[WuJunJie]]></UserId><Party><![CDATA[1]]></Party></Applyer>
    <SpRecord>
      <SpStatus>3</SpStatus>
      <ApproverAttr>2</ApproverAttr>
      <Details>
        <Approver><UserId><![CDATA[WangXiaoMing]]></UserId></Approver>
        <Speech><![CDATA[]]></Speech>
        <SpStatus>1</SpStatus>
        <SpTime>0</SpTime>
      </Details>
      <Details>
        <Approver><UserId><![CDATA[LiuXiaoGang]]></UserId></Approver>
        <Speech><![CDATA[不通过]]></Speech>
        <SpStatus>3</SpStatus>
        <SpTime>1571732272</SpTime>
      </Details>
    </SpRecord>
    <Notifyer><UserId><![CDATA[ChenXiaoMing]]></UserId></Notifyer>
    <Comments>
      <CommentUserInfo><UserId><![CDATA[LiuXiaoGang]]></UserId></CommentUserInfo>
      <CommentTime>1571732272</CommentTime>
      <CommentContent><![CDATA[这是备注信息]]></CommentContent>
      <CommentId><![CDATA[6750538708562308220]]></CommentId>
    </Comments>
    <StatuChangeEvent>3</StatuChangeEvent>
  </ApprovalInfo>
</xml>`;

describe('parseAppCallback (the self-built app callback, protocol §13)', () => {
  it('reads sys_approval_change: single elements as lists, ids as strings, empty speech as ""', () => {
    expect(parseAppCallback(SAMPLE)).toEqual({
      kind: 'approval_change',
      state: {
        spNo: '201910220003',
        spStatus: 3,
        records: [
          {
            spStatus: 3,
            details: [
              { userid: 'WangXiaoMing', speech: '', spStatus: 1, time: 0 },
              { userid: 'LiuXiaoGang', speech: '不通过', spStatus: 3, time: 1571732272 },
            ],
          },
        ],
        comments: [{ userid: 'LiuXiaoGang', text: '这是备注信息', time: 1571732272 }],
      },
    });
  });

  it('anything else is `other`; broken XML or an approval without SpNo is an error', () => {
    expect(parseAppCallback('<xml><MsgType>text</MsgType><Content>hi</Content></xml>')).toEqual({
      kind: 'other',
      msgType: 'text',
      event: '',
    });
    expect(() => parseAppCallback('<xml><MsgType>event')).toThrow(AppCallbackParseError);
    expect(() => parseAppCallback('<xml><MsgType>event</MsgType><Event>sys_approval_change</Event></xml>')).toThrow(
      AppCallbackParseError,
    );
  });
});
