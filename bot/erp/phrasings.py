"""How people say the stock and purchasing commands, rewritten into the canonical command.

A product is named first or after its quantity (``张三拿了3箱A4纸``, ``A4纸入库50箱``); the
quantity keeps its unit (``3箱``), which the command checks against the product's. Sentences
that only ask "how much is left" of a name (``A4纸还有多少``) are not rewritten here: too many
other things have "还有多少"; ``handlers.erp.inquiry`` takes them when the name is a product
or a warehouse of the tenant.
"""

from __future__ import annotations

from bot.orders.asking import UNITS

_SEP = r"[\s，,。：:；;]*"
_END = r"[\s。!！~～?？]*"
_ITEM = r"(?P<details>[^\s，,。：:；;\d][^\s，,。：:；;]*?)"
_COUNT = rf"(?P<count>(?:\d+|[零一二两三四五六七八九十百千万]+)\s*(?:{UNITS})?)"
_REST = r"(?:[\s，,]+(?P<note>[^，,。]+?))?"
_WHO = r"(?P<who>[^\s，,：:的\d]{1,6}?)"
_PLACE = r"(?P<{name}>[^\s，,：:的\d]{{1,12}}?)"
_TAKE = r"(?:拿了|拿走了?|领了|领走了?|领用了?|取走了?)"
_PERIOD = r"(?P<period>本月|上月|本季度?|上季度?|这个月|上个月|今天|昨天|本周|这周|上周)"
_WHICH = r"(?:哪些|什么|有什么|有哪些|哪几样|哪个|哪几个)"

STOCK_IN = (
    (
        rf"(?:帮我)?(?:把)?{_COUNT}{_ITEM}(?:入库|入仓|进库)了?{_REST}{_END}",
        "入库 {details} {count} {note}",
    ),
    (
        rf"{_ITEM}{_SEP}(?:入库|进了|进货|入仓)了?{_SEP}{_COUNT}{_REST}{_END}",
        "入库 {details} {count} {note}",
    ),
    (
        rf"(?:新)?(?:进了|进货|入库了)\s*{_COUNT}{_ITEM}{_REST}{_END}",
        "入库 {details} {count} {note}",
    ),
)
STOCK_IN_EXAMPLES = (
    "入库 A4纸 50箱",
    "入库A4纸50箱",
    "入库 A4纸 50箱 门店",
    "入库 A4纸 五十箱 展会退回",
    "A4纸入库50箱",
    "A4纸进了50箱",
    "50箱A4纸入库",
    "把50箱A4纸入库",
    "进了50箱A4纸",
    "新进了20箱A4纸",
)

STOCK_OUT = (
    (rf"(?:帮我)?(?:把)?{_COUNT}{_ITEM}出库了?{_REST}{_END}", "出库 {details} {count} {note}"),
    (rf"{_ITEM}{_SEP}出库了?{_SEP}{_COUNT}{_REST}{_END}", "出库 {details} {count} {note}"),
)
STOCK_OUT_EXAMPLES = (
    "出库 A4纸 3箱",
    "出库A4纸3箱",
    "出库 A4纸 3箱 门店 破损",
    "A4纸出库3箱",
    "3箱A4纸出库",
    "把2箱A4纸出库 破损",
)

ISSUE = (
    (rf"(?:给)?{_WHO}{_TAKE}{_SEP}{_COUNT}{_ITEM}{_END}", "领用 {details} {count} {who}"),
    (rf"(?:给)?{_WHO}{_TAKE}{_SEP}{_ITEM}{_SEP}{_COUNT}{_END}", "领用 {details} {count} {who}"),
    (rf"{_WHO}领用{_SEP}{_ITEM}{_SEP}{_COUNT}{_END}", "领用 {details} {count} {who}"),
)
ISSUE_EXAMPLES = (
    "领用 A4纸 3箱 张三",
    "领用A4纸3箱 张三",
    "领用 A4纸 3箱",
    "张三拿了3箱A4纸",
    "张三领了3箱A4纸",
    "张三领走了三箱A4纸",
    "张三拿了A4纸3箱",
    "李四领用A4纸2箱",
    "我拿了一箱A4纸",
)

TRANSFER = (
    (
        rf"(?:把)?{_COUNT}{_ITEM}从{_PLACE.format(name='source')}(?:调|调拨|调到|挪|转|移)(?:到|去|给|往)"
        rf"{_PLACE.format(name='target')}{_END}",
        "调拨 {details} {count} {source}到{target}",
    ),
    (
        rf"从{_PLACE.format(name='source')}(?:调|调拨|调了|挪|转|拿)\s*{_COUNT}{_ITEM}(?:到|去|给|往)"
        rf"{_PLACE.format(name='target')}{_END}",
        "调拨 {details} {count} {source}到{target}",
    ),
    (
        rf"{_ITEM}从{_PLACE.format(name='source')}(?:调|调拨|挪|转)\s*{_COUNT}(?:到|去|给|往)"
        rf"{_PLACE.format(name='target')}{_END}",
        "调拨 {details} {count} {source}到{target}",
    ),
    (
        rf"(?:调|调拨)\s*{_COUNT}{_ITEM}(?:到|去|给|往){_PLACE.format(name='target')}{_END}",
        "调拨 {details} {count} 到{target}",
    ),
)
TRANSFER_EXAMPLES = (
    "调拨 A4纸 10箱 总仓到门店",
    "调拨A4纸10箱 总仓→门店",
    "调拨 A4纸 10箱 到门店",
    "从总仓调10箱A4纸到门店",
    "把10箱A4纸从总仓调到门店",
    "A4纸从总仓调10箱到门店",
    "调10箱A4纸去门店",
)

SHOW = (
    (
        rf"(?:帮我)?(?:查|看|查询)(?:一下|下|看)?{_SEP}(?!低库存){_ITEM}(?:的)?(?:库存|存货)(?:情况)?{_END}",
        "库存 {details}",
    ),
    (
        rf"(?!低库存|库存|核对|对一下|对对|检查|盘点){_ITEM}(?:的|仓库)?(?:库存|存货)(?:还有|还剩|有|剩)?(?:多少|几[箱个件台]?)?(?:了|呢)?{_END}",
        "库存 {details}",
    ),
    (
        rf"{_ITEM}(?:的|仓库)?(?:还有|还剩|剩下|剩|有)(?:多少|几[箱个件台]?)?(?:库存|存货){_END}",
        "库存 {details}",
    ),
    (
        rf"{_ITEM}(?:仓库)?(?:还有|还剩|剩下|剩|有)(?:多少|什么|哪些)(?:货|东西|商品)(?:了|呢)?{_END}",
        "库存 {details}",
    ),
    (rf"{_ITEM}(?:还)?有(?:没有)?货(?:吗|没|么|没有)?{_END}", "库存 {details}"),
)
SHOW_EXAMPLES = (
    "库存 A4纸",
    "库存A4纸",
    "库存 门店",
    "查库存 A4纸",
    "查一下A4纸的库存",
    "看看A4纸库存",
    "A4纸库存",
    "A4纸的库存还有多少",
    "A4纸库存多少",
    "A4纸还有多少库存",
    "门店还剩多少货",
    "门店有什么货",
    "A4纸还有货吗",
    "A4纸有货吗",
)

LOW = (
    (
        rf"(?:看看|查查|查一下)?{_WHICH}(?:东西|商品|货|物品|物料|产品)?(?:快|要|已经|都)?"
        r"(?:没货|缺货|用完|卖完|断货|不够|见底|低于预警)了?(?:的)?(?:有哪些)?[\s?？。]*",
        "低库存",
    ),
    (
        r"(?:快|要)?(?:缺货|没货|断货)的?(?:东西|商品|货)?(?:有哪些|有什么|都有啥)[\s?？。]*",
        "低库存",
    ),
    (r"(?:看看|查查|查一下)?(?:库存)?预警(?:的)?(?:商品|东西)?(?:有哪些)?[\s?？。]*", "低库存"),
)
LOW_EXAMPLES = (
    "低库存",
    "哪些东西快没货了",
    "哪些商品快缺货了",
    "什么快用完了",
    "有哪些快断货了",
    "缺货的有哪些",
    "库存预警",
)

LEDGER = (
    (
        rf"(?:查|看|查询)?(?:一下|下|看)?{_SEP}{_ITEM}(?:的)?{_PERIOD}?(?:的)?"
        r"(?:库存流水|流水|出入库记录|进出记录|出入库明细|进出明细|出入库)[\s?？。]*",
        "流水 {details} {period}",
    ),
)
LEDGER_EXAMPLES = (
    "流水 A4纸 本月",
    "流水 A4纸",
    "A4纸本月的流水",
    "A4纸的出入库记录",
    "看看A4纸上月的出入库明细",
)

CHECK_EXAMPLES = ("库存核对", "核对库存", "对一下库存")
CHECK = ((r"(?:核对|对一下|对对|检查)(?:一下)?库存(?:账)?[\s?？。]*", "库存核对"),)

WAREHOUSES = (
    (r"(?:都|一共)?有(?:哪些|几个|什么)仓库[\s?？。]*|仓库有(?:哪些|几个)[\s?？。]*", "仓库"),
)

SUPPLIERS = (
    (
        r"(?:都|一共)?有(?:哪些|几家|什么)供应商[\s?？。]*|供应商有(?:哪些|几家)[\s?？。]*",
        "供应商列表",
    ),
)
SUPPLIERS_EXAMPLES = (
    "供应商列表",
    "有哪些供应商",
    "供应商有哪些",
    "看看所有供应商",
    "我们都有哪些供货商",
    "把供应商列出来",
)

PURCHASE = (
    (
        r"(?:帮我)?(?:向|从|跟|找|在)(?P<who>[^\s，,：:]+?)(?:那里|那儿|那边|这里)?"
        rf"(?:采购|进货|订货|订购|买|进|订)(?:一批|点|些|了)?{_SEP}(?P<details>.+)",
        "采购 {who} {details}",
    ),
)
PURCHASE_EXAMPLES = (
    "采购 晨光 A4纸 100箱 单价18 周五到货",
    "向晨光采购 A4纸100箱 单价18 周五到货",
    "从晨光进 A4纸 100箱 单价18",
    "跟晨光订 A4纸 100箱，交期下周三",
    "找晨光买 订书机 20个 单价9.5 入门店",
)
CONFIRM = (
    (
        r"(?:确认|确定)(?:一下|下)?采购单\s*[#第]?\s*(?P<order>(?:CG-?\d{8}-?)?\d{1,6})\s*号?[\s。!！]*",
        "确认采购 {order}",
    ),
    (
        r"采购单\s*[#第]?\s*(?P<order>(?:CG-?\d{8}-?)?\d{1,6})\s*号?\s*(?:确认|确定|发出)(?:一下|吧|了)?[\s。!！]*",
        "确认采购 {order}",
    ),
)
CONFIRM_EXAMPLES = ("确认采购 0001", "确认采购单 0001", "确认一下采购单0001", "采购单0001确认")
SHOW_PURCHASE = (
    (
        r"(?:查|看|打开)(?:一下|下|看)?采购单\s*[#第]?\s*(?P<order>(?:CG-?\d{8}-?)?\d{1,6})\s*号?(?:的)?(?:情况|详情|进度)?[\s?？。]*",
        "采购单 {order}",
    ),
    (r"(?P<order>CG-?\d{8}-?\d{1,6})[\s?？。]*", "采购单 {order}"),
)
SHOW_PURCHASE_EXAMPLES = ("采购单 0001", "采购单", "查一下采购单0001", "CG-20261123-0001")
RECEIVE = (
    (
        r"采购单\s*[#第]?\s*(?P<order>(?:CG-?\d{8}-?)?\d{1,6})\s*号?(?:的货)?(?:到货|到了|到齐了?|收到了?)了?"
        rf"{_SEP}(?P<details>.*)",
        "到货 {order} {details}",
    ),
)
RECEIVE_EXAMPLES = (
    "到货 0001 A4纸 60",
    "到货 0001 A4纸 60箱",
    "到货 0001",
    "收货 CG-20261123-0001 A4纸 60",
    "采购单0001到货了 A4纸 60",
    "采购单0001的货到齐了",
)
OVERDUE = (
    (
        r"(?:哪些|有哪些|还有哪些|什么)(?:采购单?|货)?(?:还)?(?:没|没有|未)(?:到货|到齐|到)(?:的)?[\s?？。]*",
        "未到货",
    ),
    (r"(?:逾期|超期|延期)(?:未到货|没到货|没到)的?(?:采购单?)?[\s?？。]*", "未到货"),
)
OVERDUE_EXAMPLES = (
    "未到货",
    "哪些采购还没到货",
    "还有哪些货没到",
    "逾期没到货的采购单",
    "看看逾期的采购单",
    "哪些采购单过了交期还没到",
    "没到货的采购单列一下",
)
CANCEL = (
    (
        r"(?:取消|作废|撤销)(?:掉)?采购单\s*[#第]?\s*(?P<order>(?:CG-?\d{8}-?)?\d{1,6})\s*号?(?:[\s，,]+(?P<reason>.+))?",
        "取消采购 {order} {reason}",
    ),
    (
        r"采购单\s*[#第]?\s*(?P<order>(?:CG-?\d{8}-?)?\d{1,6})\s*号?\s*(?:不要了|取消|作废)(?:吧|了)?(?:[\s，,]+(?P<reason>.+))?",
        "取消采购 {order} {reason}",
    ),
)
CANCEL_EXAMPLES = (
    "取消采购 0001 供应商缺货",
    "取消采购单 0001",
    "作废采购单0001",
    "采购单0001不要了",
)
_ORDER = r"(?P<order>(?:CG-?(?:\d{8}-?)?)?\d{1,6})"
RETURN = (
    (
        rf"采购单\s*[#第]?\s*{_ORDER}\s*号?(?:的货)?{_SEP}(?:要)?(?:退货|退回去?|退给供应商)了?"
        rf"{_SEP}(?P<details>.+)",
        "退货 {order} {details}",
    ),
    (
        rf"(?:把)?采购单\s*[#第]?\s*{_ORDER}\s*号?(?:里|中)?的\s*(?P<details>[^\s，,。\d][^\s，,。]*?)"
        rf"{_SEP}(?:退|退回|退掉|退给供应商)\s*{_COUNT}{_END}",
        "退货 {order} {details} {count}",
    ),
    (
        rf"(?:把)?{_COUNT}{_ITEM}(?:退给|退回给?)(?:供应商|[^\s，,。\d]+?){_SEP}"
        rf"(?:采购单)\s*[#第]?\s*{_ORDER}\s*号?{_END}",
        "退货 {order} {details} {count}",
    ),
)
RETURN_EXAMPLES = (
    "退货 0001 A4纸 5",
    "退货 CG0001 A4纸 5箱",
    "采购退货 CG-20261123-0001 A4纸 5箱",
    "采购单0001退货 A4纸 5箱",
    "把采购单0001的A4纸退5箱",
    "采购单0001要退回去 A4纸 5箱",
    "把5箱A4纸退给晨光 采购单0001",
)
APPROVE = (
    (
        rf"(?:同意|批准|通过)(?:一下)?采购单\s*[#第]?\s*{_ORDER}\s*号?{_END}",
        "批准采购 {order}",
    ),
    (
        rf"采购单\s*[#第]?\s*{_ORDER}\s*号?(?:可以|同意|批准|通过)(?:了|吧)?{_END}",
        "批准采购 {order}",
    ),
)
APPROVE_EXAMPLES = (
    "批准采购 0001",
    "批准采购单 CG-20261123-0001",
    "同意采购 0001",
    "采购单0001批准了",
    "同意采购单0001",
)
REJECT = (
    (
        rf"(?:驳回|不批|不同意|打回)(?:一下)?采购单\s*[#第]?\s*{_ORDER}\s*号?"
        r"(?:[\s，,]+(?P<reason>.+))?",
        "驳回采购 {order} {reason}",
    ),
    (
        rf"采购单\s*[#第]?\s*{_ORDER}\s*号?(?:驳回|不批|不同意|打回)(?:了|吧)?"
        r"(?:[\s，,]+(?P<reason>.+))?",
        "驳回采购 {order} {reason}",
    ),
)
REJECT_EXAMPLES = (
    "驳回采购 0001 价格太高",
    "不批采购 0001",
    "采购单0001驳回 先用库存",
    "打回采购单0001，数量太多",
)
APPROVAL_RULE = (
    (
        r"(?:超过|大于|高于)\s*(?P<amount>\d{1,9}(?:\.\d{1,2})?)\s*(?:元|块)?(?:钱)?的?采购(?:单)?"
        r"(?:都)?(?:要|需要|得)(?:管理员)?(?:审批|批准|审核)[\s。!！]*",
        "采购设置 审批 超过{amount}",
    ),
    (
        r"(?:所有|全部|每张)的?采购(?:单)?都(?:要|需要|得)(?:管理员)?(?:审批|批准|审核)[\s。!！]*",
        "采购设置 审批 全部",
    ),
    (r"采购(?:单)?不(?:用|需要|要)(?:再)?(?:审批|批准|审核)了?[\s。!！]*", "采购设置 审批 关"),
)
APPROVAL_RULE_EXAMPLES = (
    "采购设置",
    "采购设置 审批 全部",
    "采购设置 审批 超过5000",
    "采购设置 审批 关",
    "超过5000的采购要管理员审批",
    "所有采购单都要审批",
    "采购不用审批了",
)
_SWITCH = r"(?P<setting>(?:不允许|不可以|不能|禁止|允许|可以)(?:出现)?(?:负库存|库存为负数?))"
PRODUCT_SETTING = (
    (rf"{_ITEM}(?:的)?{_SWITCH}(?:吧|了)?{_END}", "商品设置 {details} {setting}"),
    (
        rf"(?P<verb>允许|不允许|禁止){_ITEM}(?:出现)?(?:负库存|库存为负数?){_END}",
        "商品设置 {details} {verb}负库存",
    ),
    (
        rf"(?P<verb>打开|开启|关闭|关掉){_ITEM}的?负库存(?:设置)?{_END}",
        "商品设置 {details} {verb}负库存",
    ),
    (
        rf"{_ITEM}(?:的)?库存(?P<setting>可以|不能)为负数?{_END}",
        "商品设置 {details} {setting}负库存",
    ),
)
PRODUCT_SETTING_EXAMPLES = (
    "商品设置 A4纸 允许负库存",
    "商品设置 A4纸 不允许负库存",
    "商品设置 A4纸",
    "A4纸允许负库存",
    "A4纸不允许负库存",
    "A4纸可以负库存",
    "A4纸的库存可以为负",
    "允许A4纸负库存",
    "关闭A4纸的负库存",
)
_PERCENT = r"(?P<tolerance>\d{1,3}(?:\.\d{1,2})?\s*[%％]|百分之[零一二两三四五六七八九十百\d]+)"
OVER_RECEIPT = (
    (
        rf"(?:到货|收货)?(?:允许|可以|最多(?:可以|能)?)?(?:超收|多收)(?:不超过)?\s*{_PERCENT}(?:以内)?{_END}",
        "采购设置 超收 {tolerance}",
    ),
    (
        rf"(?:到货|收货)(?:最多)?(?:可以|允许)?(?:超|多|超出|多出)\s*{_PERCENT}(?:以内)?{_END}",
        "采购设置 超收 {tolerance}",
    ),
    # Said with no percentage, 超收 is the orders' over-payment setting (不允许超收): the
    # purchase one names what arrives.
    (
        r"(?:采购)?(?:到货|收货|进货)时?(?:不允许|不能|不可以|不要|禁止)(?:超收|多收)了?[\s。!！]*",
        "采购设置 超收 0",
    ),
)
OVER_RECEIPT_EXAMPLES = (
    "采购设置 超收 5%",
    "采购设置 超收 0",
    "允许超收5%",
    "到货最多可以超收5%",
    "收货可以多收百分之五",
    "到货可以超5%",
    "到货不允许超收",
    "采购收货不能多收",
)
