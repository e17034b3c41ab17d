"""Decrypted app-callback XML -> Update, on samples shaped like WeCom's documentation.

Samples follow docs 90239/90240 (messages, app events, template cards), 92130/92277/96361
(customer contact), 90970 (contact changes) and 94670 (微信客服).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import xmltodict
from wechatpy.enterprise import parse_message

from bot.dispatch.types import Channel, ChatType, Update
from bot.wecom.crypto import CallbackRejected
from bot.wecom.events import MAX_KEY_LENGTH, parse_app_callback
from bot.wecom.safexml import extract_encrypt, parse_xml

TENANT = "acme"
T0 = 1403610513
AT0 = datetime.fromtimestamp(T0, tz=UTC)


def sys_event(event: str, body: str, create_time: int = T0) -> str:
    """The envelope WeCom wraps around every system-generated (FromUserName ``sys``) event."""
    return (
        "<xml><ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>"
        "<FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event>{body}</xml>"
    )


def contact_event(
    change: str,
    extra: str = "",
    external: str = "woAJ2GCAAAXtWyujaWJHDDGi0mACAAA",
    create_time: int = T0,
) -> str:
    return sys_event(
        "change_external_contact",
        f"<ChangeType><![CDATA[{change}]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID>"
        f"<ExternalUserID><![CDATA[{external}]]></ExternalUserID>{extra}",
        create_time,
    )


def chat_update(detail: str, members: list[str]) -> str:
    items = "".join(f"<Item><![CDATA[{m}]]></Item>" for m in members)
    return sys_event(
        "change_external_chat",
        "<ChatId><![CDATA[wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA]]></ChatId>"
        f"<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[{detail}]]></UpdateDetail>"
        f"<JoinScene>3</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>{len(members)}</MemChangeCnt>"
        f"<MemChangeList>{items}</MemChangeList>"
        "<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>"
        "<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>",
    )


def tag_event(change: str, body: str) -> str:
    return sys_event("change_external_tag", f"{body}<ChangeType><![CDATA[{change}]]></ChangeType>")


TEXT = """<xml>
   <ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
   <FromUserName><![CDATA[zhangsan]]></FromUserName>
   <CreateTime>1348831860</CreateTime>
   <MsgType><![CDATA[text]]></MsgType>
   <Content><![CDATA[  新建客户 张三  ]]></Content>
   <MsgId>1234567890123456</MsgId>
   <AgentID>1000002</AgentID>
</xml>"""

IMAGE = """<xml>
   <ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
   <FromUserName><![CDATA[lisi]]></FromUserName>
   <CreateTime>1348831860</CreateTime>
   <MsgType><![CDATA[image]]></MsgType>
   <PicUrl><![CDATA[http://wework.qpic.cn/wwpic/abc/0]]></PicUrl>
   <MediaId><![CDATA[media_id]]></MediaId>
   <MsgId>1234567890123457</MsgId>
   <AgentID>1000002</AgentID>
</xml>"""

ENTER_AGENT = """<xml><ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>1408091189</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[enter_agent]]></Event>
<EventKey><![CDATA[]]></EventKey>
<AgentID>1000002</AgentID>
</xml>"""

CLICK = """<xml>
<ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>1408091189</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[CLICK]]></Event>
<EventKey><![CDATA[menu:followups]]></EventKey>
<AgentID>1000002</AgentID>
</xml>"""

LOCATION = """<xml>
<ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>123456789</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[LOCATION]]></Event>
<Latitude>23.104</Latitude>
<Longitude>113.320</Longitude>
<Precision>65.000</Precision>
<AgentID>1</AgentID>
<AppType><![CDATA[wxwork]]></AppType>
</xml>"""

TEMPLATE_CARD = """<xml>
<ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>123456789</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[key111]]></EventKey>
<TaskId><![CDATA[taskid111]]></TaskId>
<CardType><![CDATA[multiple_interaction]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode>
<AgentID>1</AgentID>
<SelectedItems>
    <SelectedItem>
        <QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
        <OptionIds>
            <OptionId><![CDATA[OptionId1]]></OptionId>
            <OptionId><![CDATA[OptionId2]]></OptionId>
        </OptionIds>
    </SelectedItem>
    <SelectedItem>
        <QuestionKey><![CDATA[QuestionKey2]]></QuestionKey>
        <OptionIds>
            <OptionId><![CDATA[OptionId3]]></OptionId>
        </OptionIds>
    </SelectedItem>
</SelectedItems>
</xml>"""

BUTTON_CARD = """<xml>
<ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>123456789</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[approve]]></EventKey>
<TaskId><![CDATA[task123]]></TaskId>
<CardType><![CDATA[button_interaction]]></CardType>
<ResponseCode><![CDATA[rc456]]></ResponseCode>
<AgentID>1</AgentID>
</xml>"""

KF = """<xml>
   <ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
   <CreateTime>1348831860</CreateTime>
   <MsgType><![CDATA[event]]></MsgType>
   <Event><![CDATA[kf_msg_or_event]]></Event>
   <Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token>
   <OpenKfId><![CDATA[wkxxxxxxx]]></OpenKfId>
</xml>"""

CREATE_USER = sys_event(
    "change_contact",
    "<ChangeType>create_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID>"
    "<Name><![CDATA[张三]]></Name><Department><![CDATA[1,2,3]]></Department>"
    "<MainDepartment>1</MainDepartment><Position><![CDATA[产品经理]]></Position>"
    "<Mobile>13800000000</Mobile><Gender>1</Gender><Status>1</Status>"
    "<Alias><![CDATA[zhangsan]]></Alias>"
    "<ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type>"
    "<Text><Value><![CDATA[旅游]]></Value></Text></Item>"
    "<Item><Name><![CDATA[卡号]]></Name><Type>1</Type><Web><Title><![CDATA[企业微信]]></Title>"
    "<Url><![CDATA[https://work.weixin.qq.com]]></Url></Web></Item></ExtAttr>"
    "<Address><![CDATA[广州市]]></Address>",
)

# Every sample the parser must accept; used for the round-trip and retry checks.
ALL_SAMPLES = {
    "text": TEXT,
    "image": IMAGE,
    "enter_agent": ENTER_AGENT,
    "click": CLICK,
    "location": LOCATION,
    "template_card": TEMPLATE_CARD,
    "button_card": BUTTON_CARD,
    "kf": KF,
    "create_user": CREATE_USER,
    "add_external_contact": contact_event(
        "add_external_contact",
        "<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>",
    ),
    "chat_add_two": chat_update("add_member", ["wmJack", "wmRose"]),
    "chat_add_one": chat_update("add_member", ["wmJack"]),
    "tag_shuffle": tag_event("shuffle", "<Id><![CDATA[TAG_GROUP_ID]]></Id>"),
}


def parse(xml: str) -> Update:
    return parse_app_callback(xml, TENANT)


def assert_update(update: Update, fields: dict[str, Any], **expected: Any) -> None:
    want = Update(tenant_key=TENANT, channel=Channel.APP, **expected)
    assert update == want
    assert dict(update.fields) == fields


# --- messages and ordinary app events --------------------------------------------------------


def test_text_message() -> None:
    assert_update(
        parse(TEXT),
        {"ToUserName": "ww55ca070cb9b7eb22", "MsgId": 1234567890123456},
        key="msg:1234567890123456",
        msg_type="text",
        created_at=datetime(2012, 9, 28, 11, 31, tzinfo=UTC),
        user_id="zhangsan",
        text="新建客户 张三",
        agent_id=1000002,
    )


def test_image_message() -> None:
    assert_update(
        parse(IMAGE),
        {
            "ToUserName": "ww55ca070cb9b7eb22",
            "PicUrl": "http://wework.qpic.cn/wwpic/abc/0",
            "MediaId": "media_id",
            "MsgId": 1234567890123457,
        },
        key="msg:1234567890123457",
        msg_type="image",
        created_at=datetime(2012, 9, 28, 11, 31, tzinfo=UTC),
        user_id="lisi",
        agent_id=1000002,
    )


def test_enter_agent() -> None:
    assert_update(
        parse(ENTER_AGENT),
        {"ToUserName": "ww55ca070cb9b7eb22", "EventKey": ""},
        key="evt:enter_agent:1408091189:zhangsan",
        msg_type="event",
        created_at=datetime.fromtimestamp(1408091189, tz=UTC),
        user_id="zhangsan",
        event="enter_agent",
        agent_id=1000002,
    )


def test_click_lowercases_event_and_escapes_key_separator() -> None:
    assert_update(
        parse(CLICK),
        {"ToUserName": "ww55ca070cb9b7eb22", "EventKey": "menu:followups"},
        key="evt:click:1408091189:zhangsan:menu%3Afollowups",
        msg_type="event",
        created_at=datetime.fromtimestamp(1408091189, tz=UTC),
        user_id="zhangsan",
        event="click",
        agent_id=1000002,
    )


@pytest.mark.parametrize("name", ["text", "image", "enter_agent", "click", "location"])
def test_values_match_wechatpy(name: str) -> None:
    xml = ALL_SAMPLES[name]
    present = set(xmltodict.parse(xml)["xml"])
    message = parse_message(xml)
    update = parse(xml)
    promoted = {
        "FromUserName": update.user_id,
        "Content": update.text,
        "AgentID": update.agent_id,
    }
    compared = 0
    for attr, spec in message._fields.items():
        if spec.name not in present:
            continue
        if attr == "create_time":
            ours: Any = update.created_at
        elif attr == "time":
            ours = int(update.created_at.timestamp())
        else:
            ours = promoted.get(spec.name, update.fields.get(spec.name))
        assert ours == getattr(message, attr), attr
        compared += 1
    assert compared >= 5


def test_location_event_coordinates_are_floats() -> None:
    update = parse(LOCATION)
    assert (update.fields["Latitude"], update.fields["Longitude"]) == (23.104, 113.32)
    assert update.event == "location"


# --- customer contact (doc 92130) ------------------------------------------------------------

CONTACT_CASES = [
    (
        "add_external_contact",
        "<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>",
        {"State": "teststate", "WelcomeCode": "WELCOMECODE"},
    ),
    ("edit_external_contact", "", {}),
    (
        "add_half_external_contact",
        "<State><![CDATA[qr_booth]]></State><WelcomeCode><![CDATA[WELCOMECODE2]]></WelcomeCode>",
        {"State": "qr_booth", "WelcomeCode": "WELCOMECODE2"},
    ),
    (
        "del_external_contact",
        "<Source><![CDATA[DELETE_BY_TRANSFER]]></Source>",
        {"Source": "DELETE_BY_TRANSFER"},
    ),
    ("del_follow_user", "", {}),
    (
        "transfer_fail",
        "<FailReason><![CDATA[customer_refused]]></FailReason>",
        {"FailReason": "customer_refused"},
    ),
    (
        "msg_audit_approved",
        "<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>",
        {"WelcomeCode": "WELCOMECODE"},
    ),
]


@pytest.mark.parametrize(("change", "extra", "extra_fields"), CONTACT_CASES)
def test_change_external_contact(change: str, extra: str, extra_fields: dict[str, str]) -> None:
    update = parse(contact_event(change, extra))
    assert_update(
        update,
        {
            "ToUserName": "ww55ca070cb9b7eb22",
            "ExternalUserID": "woAJ2GCAAAXtWyujaWJHDDGi0mACAAA",
            **extra_fields,
        },
        key=f"evt:change_external_contact:{T0}:{change}:zhangsan:woAJ2GCAAAXtWyujaWJHDDGi0mACAAA",
        msg_type="event",
        created_at=AT0,
        user_id="zhangsan",
        event="change_external_contact",
        change_type=change,
    )
    assert update.external_user_id == "woAJ2GCAAAXtWyujaWJHDDGi0mACAAA"


def test_empty_state_becomes_empty_string() -> None:
    update = parse(contact_event("add_external_contact", "<State></State><WelcomeCode/>"))
    assert (update.fields["State"], update.fields["WelcomeCode"]) == ("", "")


# --- customer groups -------------------------------------------------------------------------


def test_external_chat_create_has_no_user_and_empty_member_list() -> None:
    xml = sys_event(
        "change_external_chat",
        "<ChatId><![CDATA[wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA]]></ChatId>"
        "<ChangeType><![CDATA[create]]></ChangeType>",
    )
    assert_update(
        parse(xml),
        {"ToUserName": "ww55ca070cb9b7eb22", "MemChangeList": []},
        key=f"evt:change_external_chat:{T0}:create:wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA",
        msg_type="event",
        created_at=AT0,
        event="change_external_chat",
        change_type="create",
        chat_type=ChatType.GROUP,
        chat_id="wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA",
    )


@pytest.mark.parametrize("members", [["wmJack"], ["wmJack", "wmRose"]])
def test_external_chat_update_member_list_is_always_a_list(members: list[str]) -> None:
    update = parse(chat_update("add_member", members))
    assert_update(
        update,
        {
            "ToUserName": "ww55ca070cb9b7eb22",
            "UpdateDetail": "add_member",
            "JoinScene": 3,
            "QuitScene": 0,
            "MemChangeCnt": len(members),
            "MemChangeList": members,
            "LastMemVer": "9c3f97c2ada667dfb5f6d03308d963e1",
            "CurMemVer": "71217227bbd112ecfe3a49c482195cb4",
        },
        key=f"evt:change_external_chat:{T0}:update:wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA:add_member:"
        + '["'
        + '","'.join(members)
        + '"]',
        msg_type="event",
        created_at=AT0,
        event="change_external_chat",
        change_type="update",
        chat_type=ChatType.GROUP,
        chat_id="wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA",
    )
    assert update.user_id is None


@pytest.mark.parametrize("detail", ["del_member", "change_owner", "change_name", "change_notice"])
def test_external_chat_update_details(detail: str) -> None:
    update = parse(chat_update(detail, ["wmJack"] if detail == "del_member" else []))
    assert (update.change_type, update.fields["UpdateDetail"]) == ("update", detail)
    assert update.key.startswith(f"evt:change_external_chat:{T0}:update:")


def test_external_chat_dismiss() -> None:
    xml = sys_event(
        "change_external_chat",
        "<ChatId><![CDATA[CHAT_ID]]></ChatId><ChangeType><![CDATA[dismiss]]></ChangeType>",
    )
    update = parse(xml)
    assert (update.change_type, update.chat_id, update.user_id) == ("dismiss", "CHAT_ID", None)


def test_member_list_shapes() -> None:
    bare = chat_update("add_member", []).replace(
        "<MemChangeList></MemChangeList>", "<MemChangeList>wmJack</MemChangeList>"
    )
    assert parse(bare).fields["MemChangeList"] == ["wmJack"]
    unrelated = chat_update("add_member", []).replace(
        "<MemChangeList></MemChangeList>", "<MemChangeList><Other>x</Other></MemChangeList>"
    )
    assert parse(unrelated).fields["MemChangeList"] == []
    repeated = chat_update("add_member", ["wmJack"]).replace(
        "<LastMemVer>", "<MemChangeList><Item>wmRose</Item></MemChangeList><LastMemVer>"
    )
    with pytest.raises(CallbackRejected):
        parse(repeated)


def test_external_chat_scene_must_be_numeric() -> None:
    xml = chat_update("add_member", ["wmJack"]).replace("<JoinScene>3", "<JoinScene>qr")
    with pytest.raises(CallbackRejected):
        parse(xml)


# --- customer tags ---------------------------------------------------------------------------

TAG = "<Id><![CDATA[TAG_ID]]></Id><TagType><![CDATA[tag]]></TagType>"
STRATEGY = "<StrategyId><![CDATA[STRATEGY_ID]]></StrategyId>"
TAG_CASES = [
    ("create", TAG, {"Id": "TAG_ID", "TagType": "tag"}, "TAG_ID:tag"),
    (
        "create",
        "<Id><![CDATA[GROUP_ID]]></Id><TagType><![CDATA[tag_group]]></TagType>",
        {"Id": "GROUP_ID", "TagType": "tag_group"},
        "GROUP_ID:tag_group",
    ),
    ("update", TAG, {"Id": "TAG_ID", "TagType": "tag"}, "TAG_ID:tag"),
    (
        "delete",
        TAG + STRATEGY,
        {"Id": "TAG_ID", "TagType": "tag", "StrategyId": "STRATEGY_ID"},
        "TAG_ID:tag:STRATEGY_ID",
    ),
    (
        "shuffle",
        "<Id><![CDATA[TAG_ID]]></Id>" + STRATEGY,
        {"Id": "TAG_ID", "StrategyId": "STRATEGY_ID"},
        "TAG_ID::STRATEGY_ID",
    ),
]


@pytest.mark.parametrize(("change", "body", "fields", "key_tail"), TAG_CASES)
def test_change_external_tag(change: str, body: str, fields: dict[str, str], key_tail: str) -> None:
    assert_update(
        parse(tag_event(change, body)),
        {"ToUserName": "ww55ca070cb9b7eb22", **fields},
        key=f"evt:change_external_tag:{T0}:{change}:{key_tail}",
        msg_type="event",
        created_at=AT0,
        event="change_external_tag",
        change_type=change,
    )


# --- template cards, 微信客服, contacts -------------------------------------------------------


def test_template_card_selected_items() -> None:
    assert_update(
        parse(TEMPLATE_CARD),
        {
            "ToUserName": "ww55ca070cb9b7eb22",
            "EventKey": "key111",
            "TaskId": "taskid111",
            "CardType": "multiple_interaction",
            "ResponseCode": "ResponseCode",
            "SelectedItems": [
                {"QuestionKey": "QuestionKey1", "OptionIds": ["OptionId1", "OptionId2"]},
                {"QuestionKey": "QuestionKey2", "OptionIds": ["OptionId3"]},
            ],
        },
        key="evt:template_card_event:123456789:zhangsan:taskid111:key111",
        msg_type="event",
        created_at=datetime.fromtimestamp(123456789, tz=UTC),
        user_id="zhangsan",
        event="template_card_event",
        agent_id=1,
    )


def test_button_card_without_selection_has_empty_list() -> None:
    update = parse(BUTTON_CARD)
    assert update.fields["SelectedItems"] == []
    assert update.fields["ResponseCode"] == "rc456"
    assert update.key == "evt:template_card_event:123456789:zhangsan:task123:approve"


def test_selected_item_without_children_is_refused() -> None:
    xml = BUTTON_CARD.replace(
        "</xml>", "<SelectedItems><SelectedItem>oops</SelectedItem></SelectedItems></xml>"
    )
    with pytest.raises(CallbackRejected):
        parse(xml)


@pytest.mark.parametrize("count", [1, 2])
def test_picture_events_list_pictures(count: int) -> None:
    items = "".join(f"<item><PicMd5Sum><![CDATA[md5{i}]]></PicMd5Sum></item>" for i in range(count))
    xml = f"""<xml><ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>
<FromUserName><![CDATA[zhangsan]]></FromUserName>
<CreateTime>1408090816</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[pic_photo_or_album]]></Event>
<EventKey><![CDATA[6]]></EventKey>
<SendPicsInfo><Count>{count}</Count><PicList>{items}</PicList></SendPicsInfo>
<AgentID>1</AgentID>
</xml>"""
    update = parse(xml)
    assert update.fields["SendPicsInfo"] == {
        "Count": str(count),
        "PicList": [{"PicMd5Sum": f"md5{i}"} for i in range(count)],
    }
    assert update.key == "evt:pic_photo_or_album:1408090816:zhangsan:6"


def test_kf_msg_or_event_has_no_sender() -> None:
    assert_update(
        parse(KF),
        {
            "ToUserName": "ww55ca070cb9b7eb22",
            "Token": "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR",
            "OpenKfId": "wkxxxxxxx",
        },
        key="evt:kf_msg_or_event:1348831860:ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR",
        msg_type="event",
        created_at=datetime(2012, 9, 28, 11, 31, tzinfo=UTC),
        event="kf_msg_or_event",
    )


def test_change_contact_create_user() -> None:
    update = parse(CREATE_USER)
    assert_update(
        update,
        {
            "ToUserName": "ww55ca070cb9b7eb22",
            "Name": "张三",
            "Department": "1,2,3",
            "MainDepartment": "1",
            "Position": "产品经理",
            "Mobile": "13800000000",
            "Gender": "1",
            "Status": "1",
            "Alias": "zhangsan",
            "ExtAttr": [
                {"Name": "爱好", "Type": "0", "Text": {"Value": "旅游"}},
                {
                    "Name": "卡号",
                    "Type": "1",
                    "Web": {"Title": "企业微信", "Url": "https://work.weixin.qq.com"},
                },
            ],
            "Address": "广州市",
        },
        key=f"evt:change_contact:{T0}:create_user:zhangsan",
        msg_type="event",
        created_at=AT0,
        user_id="zhangsan",
        event="change_contact",
        change_type="create_user",
    )


@pytest.mark.parametrize(
    ("body", "user_id", "key_tail"),
    [
        (
            "<ChangeType>update_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID>"
            "<NewUserID><![CDATA[zhangsan01]]></NewUserID>",
            "zhangsan",
            "update_user:zhangsan:zhangsan01",
        ),
        (
            "<ChangeType>delete_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID>",
            "zhangsan",
            "delete_user:zhangsan",
        ),
        (
            "<ChangeType>create_party</ChangeType><Id>2</Id><Name><![CDATA[销售部]]></Name>"
            "<ParentId><![CDATA[1]]></ParentId><Order>1</Order>",
            None,
            "create_party:::2",
        ),
        (
            "<ChangeType><![CDATA[update_tag]]></ChangeType><TagId>1</TagId>"
            "<AddUserItems><![CDATA[zhangsan,lisi]]></AddUserItems>"
            "<DelUserItems><![CDATA[wangwu]]></DelUserItems>",
            None,
            "update_tag::::1:zhangsan,lisi:wangwu",
        ),
    ],
)
def test_change_contact_variants(body: str, user_id: str | None, key_tail: str) -> None:
    update = parse(sys_event("change_contact", body))
    assert update.user_id == user_id
    assert update.key == f"evt:change_contact:{T0}:{key_tail}"
    assert "UserID" not in update.fields


# --- dedupe keys -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_SAMPLES))
def test_retries_share_a_key_and_round_trip_through_json(name: str) -> None:
    first, retry = parse(ALL_SAMPLES[name]), parse(ALL_SAMPLES[name])
    assert first.key == retry.key
    assert len(first.key) <= MAX_KEY_LENGTH
    restored = Update.from_json(first.to_json())
    assert restored == first
    assert dict(restored.fields) == dict(first.fields)


def test_keys_differ_by_external_user_and_by_time() -> None:
    base = parse(contact_event("add_external_contact"))
    other_customer = parse(contact_event("add_external_contact", external="wmOTHER"))
    later = parse(contact_event("add_external_contact", create_time=T0 + 1))
    assert len({base.key, other_customer.key, later.key}) == 3


def test_keys_differ_by_member_list_and_detail() -> None:
    keys = {
        parse(chat_update("add_member", ["wmJack"])).key,
        parse(chat_update("add_member", ["wmRose"])).key,
        parse(chat_update("del_member", ["wmJack"])).key,
    }
    assert len(keys) == 3


def test_long_member_lists_are_hashed_but_stay_distinct() -> None:
    many = [f"wmAJ2GCAAAXtWyujaWJHDDGi0mAC{i:04d}" for i in range(200)]
    first = parse(chat_update("add_member", many)).key
    last_differs = parse(chat_update("add_member", [*many[:-1], "wmSomeoneElse"])).key
    assert len(first) == len(last_differs) == MAX_KEY_LENGTH
    assert first != last_differs
    assert first == parse(chat_update("add_member", many)).key
    assert first.startswith(f"evt:change_external_chat:{T0}:update:")


def test_key_separator_in_values_cannot_forge_a_collision() -> None:
    left = parse(contact_event("add_external_contact", external="a:b"))
    right = parse(contact_event("add_external_contact", external="a%3Ab"))
    assert left.key != right.key


def test_system_sender_never_becomes_user() -> None:
    xml = sys_event(
        "batch_job_result",
        "<BatchJob><JobId><![CDATA[S0MrnndvRG5fadSl]]></JobId>"
        "<JobType><![CDATA[sync_user]]></JobType><ErrCode>0</ErrCode>"
        "<ErrMsg><![CDATA[ok]]></ErrMsg></BatchJob>",
    )
    update = parse(xml)
    assert update.user_id is None
    assert "S0MrnndvRG5fadSl" in update.key


# --- refusals --------------------------------------------------------------------------------

REFUSED = {
    "doctype": '<?xml version="1.0"?><!DOCTYPE xml [<!ELEMENT xml ANY>]>' + TEXT,
    "entity": '<!doctype lol [<!entity lol "lol">]><xml><Content>&lol;</Content></xml>',
    "bare entity": '<xml><!ENTITY x "y"></xml>',
    "malformed": "<xml><MsgType>text</MsgType>",
    "empty": "",
    "wrong root": "<root><MsgType>text</MsgType></root>",
    "text root": "<xml>hello</xml>",
    "missing MsgType": TEXT.replace("<MsgType><![CDATA[text]]></MsgType>", ""),
    "missing FromUserName": TEXT.replace("<FromUserName><![CDATA[zhangsan]]></FromUserName>", ""),
    "missing MsgId": TEXT.replace("<MsgId>1234567890123456</MsgId>", ""),
    "CreateTime not numeric": TEXT.replace("1348831860", "yesterday"),
    "CreateTime missing": TEXT.replace("<CreateTime>1348831860</CreateTime>", ""),
    "CreateTime out of range": TEXT.replace("1348831860", "99999999999999999999"),
    "AgentID not numeric": TEXT.replace("1000002", "app"),
    "event without Event": ENTER_AGENT.replace("<Event><![CDATA[enter_agent]]></Event>", ""),
    "event without FromUserName": CLICK.replace(
        "<FromUserName><![CDATA[zhangsan]]></FromUserName>", ""
    ),
    "nested MsgType": TEXT.replace("<![CDATA[text]]>", "<a>text</a>"),
    "location NaN": LOCATION.replace("23.104", "nan"),
    "location not a number": LOCATION.replace("23.104", "north"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused(name: str) -> None:
    with pytest.raises(CallbackRejected) as caught:
        parse(REFUSED[name])
    assert caught.value.status == 400


def test_parse_xml_returns_children_of_root() -> None:
    assert parse_xml("<xml><A>1</A><B/><C><Item>x</Item></C></xml>") == {
        "A": "1",
        "B": None,
        "C": {"Item": "x"},
    }


def test_extract_encrypt() -> None:
    body = (
        "<xml><ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName>"
        "<AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[c2VjcmV0]]></Encrypt></xml>"
    )
    assert extract_encrypt(body) == "c2VjcmV0"


@pytest.mark.parametrize(
    "body",
    [
        "<xml><ToUserName>ww</ToUserName></xml>",
        "<xml><Encrypt></Encrypt></xml>",
        "<xml><Encrypt><a>b</a></Encrypt></xml>",
        '<!DOCTYPE x [<!ENTITY e "A">]><xml><Encrypt>&e;</Encrypt></xml>',
        "not xml",
    ],
)
def test_extract_encrypt_refuses(body: str) -> None:
    with pytest.raises(CallbackRejected):
        extract_encrypt(body)
