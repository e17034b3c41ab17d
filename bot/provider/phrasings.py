"""How the provider's operators ask about their clients, rewritten into the canonical
commands. A tenant's name is short and has no spaces or punctuation."""

from __future__ import annotations

_TENANT = r"(?P<tenant>[^\s，,。？?！!：:的]{2,12}?)"
_END = r"(?:了|呢|啊|吗)?[\s？?。!！~～]*"

# Only "<name>用得怎么样": looser forms (…使用情况) would take other commands' words for a
# tenant's name (席位使用情况).
PROFILE = ((rf"{_TENANT}(?:用得|用的)(?:怎么样|如何|咋样){_END}", "企业概况 {tenant}"),)
PROFILE_EXAMPLES = (
    "企业概况 星辰科技",
    "星辰科技用得怎么样",
    "星辰科技用的怎么样了",
    "艾克米科技用得如何",
)

HEALTH = (
    (r"(?:看看|看下|查查)?(?:客户|企业|租户)(?:的)?健康(?:度|情况|状况)?" + _END, "客户健康"),
    (r"哪些(?:客户|企业)(?:有风险|不健康|用得不好)" + _END, "客户健康"),
)
HEALTH_EXAMPLES = ("客户健康", "客户健康度", "企业健康情况", "哪些客户有风险", "客户健康状况怎么样")

RENEWALS = (
    (r"哪些(?:客户|企业|公司)(?:快|快要|马上|要)(?:到期|续费)" + _END, "续费风险"),
    (r"(?:最近|近期|这个月)?(?:谁|哪些客户|哪些企业)(?:要|该)续费" + _END, "续费风险"),
    (r"(?:客户|企业)?续费(?:风险|预警)(?:名单|清单)?" + _END, "续费风险"),
)
# Not "谁要续费": a sentence about anyone's membership renewing would sound like it.
RENEWAL_EXAMPLES = ("续费风险", "哪些企业快到期了", "哪些客户快到期了", "续费预警名单")

GROWTH = (
    (
        r"(?:看看|查查)?(?:哪些|哪家)(?:客户|企业)(?:还)?(?:能|可以|有)(?:增购|加购|扩容|升级|增长)"
        + _END,
        "增长潜力",
    ),
    (r"(?:客户|企业)(?:的)?增长(?:潜力|空间|机会)(?:排行|排名)?" + _END, "增长潜力"),
)
GROWTH_EXAMPLES = ("增长潜力", "哪些客户还能增购", "客户增长机会", "哪家企业可以升级")
