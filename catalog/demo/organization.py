"""The demo city of 江州市: its service centers, departments, windows and demo staff.

江州 is fictional; its region code is the one the item-code examples use. Twenty of the 38
departments keep windows in the city hall, as in the source speeches ("进中心的20个部门").
"""

from catalog.models import CenterLevel, Role

from .specs import CenterSpec, DepartmentSpec, MaterialSpec, StaffSpec

REGION_CODE = "330100"
CITY = "江州市"
CITY_CENTER = "330100"
HOTLINE = "12345"

CENTERS = (
    CenterSpec(
        CITY_CENTER, "江州市政务服务中心", CenterLevel.CITY, None, "江州市江滨大道88号", "12345"
    ),
    CenterSpec(
        "330121",
        "江州市东湖县政务服务中心",
        CenterLevel.COUNTY,
        CITY_CENTER,
        "东湖县人民路1号",
        "12345转6",
    ),
    CenterSpec(
        "330122",
        "江州市西山县政务服务中心",
        CenterLevel.COUNTY,
        CITY_CENTER,
        "西山县府前街6号",
        "12345转7",
    ),
    CenterSpec(
        "330121100",
        "东湖县城关镇便民服务中心",
        CenterLevel.TOWN,
        "330121",
        "东湖县城关镇解放街12号",
        "12345转61",
    ),
    CenterSpec(
        "330121101",
        "东湖县青石镇便民服务中心",
        CenterLevel.TOWN,
        "330121",
        "东湖县青石镇青石路3号",
        "12345转62",
    ),
    CenterSpec(
        "330122100",
        "西山县云岭镇便民服务中心",
        CenterLevel.TOWN,
        "330122",
        "西山县云岭镇中心街8号",
        "12345转71",
    ),
    CenterSpec(
        "330122101",
        "西山县白沙镇便民服务中心",
        CenterLevel.TOWN,
        "330122",
        "西山县白沙镇沿江路20号",
        "12345转72",
    ),
)

# Floors of the city hall by window letter: A business start-up, B construction projects,
# C social affairs.
FLOORS = {"A": "一楼", "B": "二楼", "C": "三楼", "Z": "一楼", "S": "一楼"}

# Comprehensive windows take applications for several departments (综合窗口, 无差别受理);
# the fee window collects every fee (统一收费).
COMPREHENSIVE_WINDOWS = {
    "Z01": ("SCJ", "GAJ", "SWUJ", "RSJ", "YBJ"),  # 企业开办
    "Z02": ("FGW", "ZGJ", "ZJJ", "HBJ", "RFB", "XFZD"),  # 工程建设项目
}
FEE_WINDOWS = ("S01",)
# County halls and town stations receive for every department at comprehensive windows.
LOCAL_WINDOWS = {
    "330121": ("01", "02", "03"),
    "330122": ("01", "02", "03"),
    "330121100": ("01", "02"),
    "330121101": ("01",),
    "330122100": ("01", "02"),
    "330122101": ("01",),
}
LOCAL_FEE_WINDOWS = {"330121": "04", "330122": "04"}

DEPARTMENTS = (
    DepartmentSpec(
        "FGW",
        "发展和改革委员会",
        windows=("B01",),
        basis="《企业投资项目核准和备案管理条例》",
        materials=(
            MaterialSpec("项目申请报告或可行性研究报告", originals=1, copies=0),
            MaterialSpec("项目用地预审与选址意见书", copies=1, deferrable=True),
        ),
    ),
    DepartmentSpec(
        "JYJ",
        "教育局",
        windows=("C01",),
        basis="《中华人民共和国教育法》",
        materials=(
            MaterialSpec("办学场所产权证明或租赁合同", copies=1, deferrable=True),
            MaterialSpec("举办者资质证明", copies=1),
        ),
    ),
    DepartmentSpec(
        "GAJ",
        "公安局",
        windows=("A04",),
        basis="《中华人民共和国治安管理处罚法》",
        materials=(MaterialSpec("近期免冠彩色证件照片", originals=2, copies=0),),
    ),
    DepartmentSpec(
        "MZJ",
        "民政局",
        windows=("C02",),
        basis="《社会团体登记管理条例》",
        materials=(MaterialSpec("住所使用权证明", copies=1, deferrable=True),),
    ),
    DepartmentSpec(
        "SFJ",
        "司法局",
        basis="《中华人民共和国律师法》",
        materials=(MaterialSpec("执业场所证明", copies=1),),
    ),
    DepartmentSpec(
        "CZJ",
        "财政局",
        basis="《中华人民共和国会计法》",
        materials=(MaterialSpec("从业人员资格证明", copies=1),),
    ),
    DepartmentSpec(
        "RSJ",
        "人力资源和社会保障局",
        windows=("A06",),
        basis="《中华人民共和国劳动法》",
        materials=(MaterialSpec("单位规章制度及职工代表大会意见", copies=1, deferrable=True),),
    ),
    DepartmentSpec(
        "ZGJ",
        "自然资源和规划局",
        windows=("B02", "B03"),
        basis="《中华人民共和国土地管理法》",
        materials=(
            MaterialSpec("宗地图及界址点坐标", copies=1),
            MaterialSpec("土地权属来源证明", originals=1, copies=1),
        ),
    ),
    DepartmentSpec(
        "HBJ",
        "生态环境局",
        windows=("B06",),
        basis="《中华人民共和国环境保护法》",
        materials=(MaterialSpec("环境影响评价文件或污染防治设施说明", originals=1, copies=1),),
    ),
    DepartmentSpec(
        "ZJJ",
        "住房和城乡建设局",
        windows=("B04", "B05"),
        basis="《中华人民共和国建筑法》",
        materials=(
            MaterialSpec("建设工程规划许可证", copies=1),
            MaterialSpec("相关技术人员职称及注册证书", copies=1, deferrable=True),
        ),
    ),
    DepartmentSpec(
        "JTJ",
        "交通运输局",
        windows=("B11", "B12"),
        basis="《中华人民共和国道路运输条例》",
        materials=(
            MaterialSpec("车辆行驶证及技术等级评定证明", copies=1),
            MaterialSpec("安全生产管理制度文本", copies=1, deferrable=True),
        ),
    ),
    DepartmentSpec(
        "SLJ",
        "水利局",
        windows=("B09",),
        basis="《中华人民共和国水法》",
        materials=(MaterialSpec("工程设计文件及图纸", originals=1, copies=1),),
    ),
    DepartmentSpec(
        "NYJ",
        "农业农村局",
        windows=("C06",),
        basis="《中华人民共和国农业法》",
        materials=(
            MaterialSpec("经营场所及仓储设施证明", copies=1, deferrable=True),
            MaterialSpec("专业技术人员资质证明", copies=1),
        ),
    ),
    DepartmentSpec(
        "SWJ",
        "商务局",
        windows=("A05",),
        basis="《中华人民共和国对外贸易法》",
        materials=(MaterialSpec("经营场所证明", copies=1, deferrable=True),),
    ),
    DepartmentSpec(
        "WGLJ",
        "文化广电旅游局",
        windows=("C05",),
        basis="《娱乐场所管理条例》",
        materials=(
            MaterialSpec("营业场所使用权证明", copies=1, deferrable=True),
            MaterialSpec("从业人员情况说明", copies=1),
        ),
    ),
    DepartmentSpec(
        "WJW",
        "卫生健康委员会",
        windows=("C03", "C04"),
        basis="《中华人民共和国基本医疗卫生与健康促进法》",
        materials=(
            MaterialSpec("卫生技术人员资格证书", copies=1),
            MaterialSpec("场所平面布局图", copies=1, deferrable=True),
        ),
    ),
    DepartmentSpec(
        "YJJ",
        "应急管理局",
        windows=("C07",),
        basis="《中华人民共和国安全生产法》",
        materials=(
            MaterialSpec("安全生产管理制度和操作规程", copies=1),
            MaterialSpec("主要负责人和安全管理人员考核合格证明", copies=1, deferrable=True),
        ),
    ),
    DepartmentSpec(
        "SCJ",
        "市场监督管理局",
        windows=("A01", "A02", "A03"),
        basis="《中华人民共和国市场主体登记管理条例》",
        materials=(MaterialSpec("经营场所使用证明", copies=1, deferrable=True),),
    ),
    DepartmentSpec(
        "LYJ",
        "林业局",
        windows=("B10",),
        basis="《中华人民共和国森林法》",
        materials=(MaterialSpec("林权证明或林地使用协议", copies=1),),
    ),
    DepartmentSpec(
        "CGJ",
        "城市管理局",
        windows=("B13",),
        basis="《城市市容和环境卫生管理条例》",
        materials=(MaterialSpec("设置或作业位置示意图", originals=1, copies=0),),
    ),
    DepartmentSpec(
        "RFB",
        "人民防空办公室",
        windows=("B07",),
        basis="《中华人民共和国人民防空法》",
        materials=(MaterialSpec("人防工程设计文件", originals=1, copies=1),),
    ),
    DepartmentSpec(
        "QXJ",
        "气象局",
        basis="《中华人民共和国气象法》",
        materials=(MaterialSpec("作业方案及安全措施", copies=1),),
    ),
    DepartmentSpec(
        "YCJ",
        "烟草专卖局",
        basis="《中华人民共和国烟草专卖法》",
        materials=(MaterialSpec("经营场所产权证明或租赁合同", copies=1, deferrable=True),),
    ),
    DepartmentSpec(
        "XFZD",
        "消防救援支队",
        windows=("B08",),
        basis="《中华人民共和国消防法》",
        materials=(MaterialSpec("消防设施检测报告", originals=1, copies=0),),
    ),
    DepartmentSpec(
        "DAJ",
        "档案局",
        basis="《中华人民共和国档案法》",
        materials=(MaterialSpec("档案目录清单", copies=1),),
    ),
    DepartmentSpec(
        "MZZJ",
        "民族宗教事务局",
        basis="《宗教事务条例》",
        materials=(MaterialSpec("宗教团体意见", originals=1, copies=0),),
    ),
    DepartmentSpec(
        "TYJ",
        "体育局",
        basis="《全民健身条例》",
        materials=(MaterialSpec("社会体育指导人员和救助人员资格证明", copies=1),),
    ),
    DepartmentSpec(
        "TJJ",
        "统计局",
        basis="《中华人民共和国统计法》",
        materials=(MaterialSpec("统计调查方案", copies=1),),
    ),
    DepartmentSpec(
        "YBJ",
        "医疗保障局",
        basis="《中华人民共和国社会保险法》",
        materials=(MaterialSpec("医疗机构执业许可证或药品经营许可证", copies=1),),
    ),
    DepartmentSpec(
        "TYJR",
        "退役军人事务局",
        basis="《中华人民共和国退役军人保障法》",
        materials=(MaterialSpec("退役证件", originals=1, copies=1),),
    ),
    DepartmentSpec(
        "DZJ",
        "地震局",
        basis="《中华人民共和国防震减灾法》",
        materials=(MaterialSpec("地震安全性评价报告", originals=1, copies=0),),
    ),
    DepartmentSpec(
        "LSJ",
        "粮食和物资储备局",
        basis="《粮食流通管理条例》",
        materials=(MaterialSpec("仓储设施证明", copies=1),),
    ),
    DepartmentSpec(
        "SWUJ",
        "税务局",
        basis="《中华人民共和国税收征收管理法》",
        materials=(MaterialSpec("财务会计报表", copies=1, deferrable=True),),
    ),
    DepartmentSpec(
        "CLH",
        "残疾人联合会",
        basis="《中华人民共和国残疾人保障法》",
        materials=(MaterialSpec("残疾评定表", originals=1, copies=0),),
    ),
    DepartmentSpec(
        "KJJ",
        "科学技术局",
        basis="《中华人民共和国科学技术进步法》",
        materials=(MaterialSpec("研发项目情况说明", copies=1),),
    ),
    DepartmentSpec(
        "JXJ",
        "工业和信息化局",
        basis="《中华人民共和国节约能源法》",
        materials=(MaterialSpec("技术改造项目情况说明", copies=1),),
    ),
    DepartmentSpec(
        "GHJ",
        "港航管理局",
        basis="《中华人民共和国港口法》",
        materials=(MaterialSpec("船舶国籍证书及检验证书", copies=1),),
    ),
    DepartmentSpec(
        "XWCB",
        "新闻出版局",
        basis="《出版管理条例》",
        materials=(MaterialSpec("经营场所使用证明", copies=1, deferrable=True),),
    ),
)

# One user per department role in three departments, and the center-wide roles. The approver
# is the department's head (局长).
_DEPARTMENT_STAFF = {
    "SCJ": (("张", "丽"), ("王", "强"), ("李", "娜"), ("陈", "建国"), ("刘", "洋")),
    "ZJJ": (("赵", "敏"), ("孙", "伟"), ("周", "静"), ("吴", "志刚"), ("郑", "磊")),
    "ZGJ": (("钱", "芳"), ("冯", "涛"), ("何", "婷"), ("许", "文斌"), ("蒋", "超")),
}
_DEPARTMENT_ROLES = (
    ("clerk", Role.WINDOW_CLERK),
    ("handler", Role.HANDLER),
    ("reviewer", Role.REVIEWER),
    ("approver", Role.APPROVER),
    ("chief", Role.CHIEF_REPRESENTATIVE),
)

STAFF = tuple(
    StaffSpec(
        username=f"{code.lower()}_{suffix}",
        last_name=last,
        first_name=first,
        role=role,
        department=code,
        heads_department=role == Role.APPROVER,
    )
    for code, names in _DEPARTMENT_STAFF.items()
    for (suffix, role), (last, first) in zip(_DEPARTMENT_ROLES, names, strict=True)
) + (
    StaffSpec("fee_clerk", "沈", "红", Role.FEE_CLERK, None),
    StaffSpec("catalog_admin", "韩", "梅", Role.CATALOG_ADMINISTRATOR, None),
    StaffSpec("user_admin", "罗", "军", Role.USER_ADMINISTRATOR, None),
    StaffSpec("supervisor", "杨", "帆", Role.SUPERVISION_OFFICER, None),
)
