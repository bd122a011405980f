"""The demo hall's home page content: life-event themes over the demo catalog, and a few notices.

Safe to run again: a theme or notice that exists (by name or title) is left as the administrator
may have edited it.
"""

from datetime import timedelta

from django.utils import timezone

from catalog.models import ApprovalItem, VersionStatus

from .models import Announcement, Theme, ThemeAudience

PERSON, BUSINESS = ThemeAudience.PERSON, ThemeAudience.BUSINESS

# (audience, name, icon, the demo items it groups by name)
DEMO_THEMES = (
    (PERSON, "婚育", "heart", ("结婚登记", "收养登记", "出生医学证明补发", "户口登记项目变更更正")),
    (PERSON, "就业创业", "person-workspace", ("个体工商户设立登记", "导游证核发", "律师执业许可")),
    (PERSON, "养老", "people", ("最低生活保障审批", "光荣院、优抚医院入院审批", "残疾等级评定")),
    (
        PERSON,
        "医疗社保",
        "heart-pulse",
        ("基本医疗保险参保登记", "异地就医备案", "社会保险登记", "工伤认定"),
    ),
    (
        PERSON,
        "不动产登记",
        "house",
        ("不动产首次登记", "不动产转移登记", "不动产抵押权登记", "不动产登记资料查询"),
    ),
    (
        PERSON,
        "证件办理",
        "person-vcard",
        ("居民身份证核发", "居住证核发", "机动车驾驶证核发", "往来港澳通行证签发"),
    ),
    (
        BUSINESS,
        "开办企业",
        "shop",
        ("企业设立登记", "企业名称预先核准", "税务登记", "发票领用", "社会保险登记"),
    ),
    (
        BUSINESS,
        "工程建设",
        "building",
        (
            "建设用地规划许可证核发",
            "建设工程规划许可证核发",
            "建筑工程施工许可证核发",
            "特殊建设工程消防验收",
        ),
    ),
    (
        BUSINESS,
        "餐饮食品",
        "cup-hot",
        ("食品经营许可", "食品经营许可变更", "公共场所卫生许可", "食品小作坊登记"),
    ),
    (
        BUSINESS,
        "交通运输",
        "truck",
        ("道路普通货物运输经营许可", "道路旅客运输经营许可", "网络预约出租汽车经营许可"),
    ),
    (BUSINESS, "变更注销", "arrow-repeat", ("企业变更登记", "企业注销登记", "营业执照遗失补领")),
)

DEMO_ANNOUNCEMENTS = (
    (
        "关于元旦假期窗口服务时间的通知",
        True,
        1,
        "元旦假期期间，市政务服务中心暂停现场受理，网上办事大厅正常开放。节后第一个工作日起恢复正常办公。",
    ),
    (
        "“一件事一次办”新增工程建设项目并联审批",
        False,
        5,
        "建设单位可在自然资源和规划局窗口一次提交材料，规划、住建两部门并联审批，不再分头跑。",
    ),
    (
        "网上预审服务上线",
        False,
        12,
        "申请人注册账号后即可在线提交材料预审，窗口审核通过后只需带原件跑一次。",
    ),
    ("本中心推行容缺受理", False, 20, "次要材料暂缺的，申请人书面承诺限期补齐后，窗口先行受理。"),
)


def demo_hall_load() -> int:
    """Create the demo themes and notices that do not exist yet; return how many were created."""
    created_count = 0
    for order, (audience, name, icon, item_names) in enumerate(DEMO_THEMES):
        theme, created = Theme.objects.get_or_create(
            name=name, audience=audience, defaults={"icon": icon, "order": order}
        )
        if created:
            created_count += 1
            theme.items.set(
                ApprovalItem.objects.filter(
                    versions__status=VersionStatus.PUBLISHED, versions__name__in=item_names
                ).distinct()
            )
    now = timezone.now()
    for title, pinned, days_ago, body in DEMO_ANNOUNCEMENTS:
        _notice, created = Announcement.objects.get_or_create(
            title=title,
            defaults={
                "body": body,
                "pinned": pinned,
                "published_at": now - timedelta(days=days_ago),
            },
        )
        created_count += created
    return created_count
