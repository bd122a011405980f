"""Item guides written out in full: the items applicants ask about most.

``DETAILED`` items carry everything a guide shows (conditions, every material, the steps and
their limits, fees, where the item is handled). ``GUIDED`` items carry their own legal basis,
conditions and materials; their promised limit, steps and place in the hall are filled in by
``allocation`` like those of the tables in ``items``.
"""

from decimal import Decimal

from catalog.models import ApplicantType, ProcessingType, ResultType, Role

from .specs import FeeSpec, ItemSpec, MaterialSpec, Placement, StepSpec, standard_materials

PROMISED = ProcessingType.PROMISED
REPORTED = ProcessingType.REPORTED
JOINT = ProcessingType.JOINT
LEGAL = ApplicantType.LEGAL
NATURAL = ApplicantType.NATURAL
BOTH = ApplicantType.BOTH

_POWER_OF_ATTORNEY = MaterialSpec(
    "授权委托书及受托人身份证件", originals=1, copies=1, required=False, notes="委托他人办理的提交"
)

DETAILED = (
    ItemSpec(
        department="SCJ",
        category="XK",
        name="企业设立登记",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=3,
        promised_limit=1,
        placement=Placement.FULL,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《中华人民共和国公司法》第二十九条、第三十三条；"
            "《中华人民共和国市场主体登记管理条例》第三条、第十九条"
        ),
        conditions=(
            "1. 有符合规定的企业名称；\n"
            "2. 有公司章程或合伙协议；\n"
            "3. 有符合规定的住所（经营场所）；\n"
            "4. 股东（出资人）符合法律规定，认缴出资依法载明于章程；\n"
            "5. 有符合规定的组织机构和法定代表人；\n"
            "6. 经营范围涉及前置许可项目的，已取得批准文件。"
        ),
        materials=(
            MaterialSpec("公司登记（备案）申请书", originals=1, copies=0),
            MaterialSpec("公司章程", originals=1, copies=0, notes="全体股东签署"),
            MaterialSpec("股东的主体资格证明或自然人身份证件", copies=1),
            MaterialSpec("法定代表人、董事、监事和经理的任职文件及身份证件", copies=1),
            MaterialSpec(
                "住所（经营场所）使用证明",
                copies=1,
                deferrable=True,
                notes="可容缺受理，领取营业执照前补交",
            ),
            MaterialSpec(
                "前置审批文件", copies=1, required=False, notes="经营范围涉及前置许可的提交"
            ),
            _POWER_OF_ATTORNEY,
        ),
        steps=(StepSpec("审查核准", Role.CHIEF_REPRESENTATIVE, 1),),
    ),
    ItemSpec(
        department="SCJ",
        category="XK",
        name="食品经营许可",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=10,
        promised_limit=5,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《中华人民共和国食品安全法》第三十三条、第三十五条；"
            "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）"
        ),
        conditions=(
            "1. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，"
            "并与有毒、有害场所以及其他污染源保持规定的距离；\n"
            "2. 具有相应的消毒、更衣、盥洗、采光、照明、通风、防腐、防尘、防蝇、防鼠、防虫、"
            "洗涤以及处理废水、存放垃圾和废弃物的设备或者设施；\n"
            "3. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；\n"
            "4. 具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染。"
        ),
        materials=(
            MaterialSpec("食品经营许可申请书", originals=1, copies=0),
            MaterialSpec("营业执照", copies=1),
            MaterialSpec("主要设备设施布局、操作流程等文件", copies=1),
            MaterialSpec("食品安全管理制度目录", copies=1, deferrable=True),
            MaterialSpec("食品安全管理人员身份证件及培训考核证明", copies=1),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("材料审查", Role.HANDLER, 2),
            StepSpec("现场核查", Role.HANDLER, 2),
            StepSpec("审批", Role.APPROVER, 1),
        ),
    ),
    ItemSpec(
        department="SCJ",
        category="XK",
        name="药品零售企业经营许可",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=15,
        promised_limit=8,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《中华人民共和国药品管理法》第五十一条、第五十二条；"
            "《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）"
        ),
        conditions=(
            "1. 有依法经过资格认定的药师或者其他药学技术人员；\n"
            "2. 有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；\n"
            "3. 有与所经营药品相适应的质量管理机构或者人员；\n"
            "4. 有保证药品质量的规章制度，并符合药品经营质量管理规范要求。"
        ),
        materials=(
            MaterialSpec("药品经营许可证申请表", originals=1, copies=0),
            MaterialSpec("营业执照", copies=1),
            MaterialSpec("执业药师注册证及身份证件", originals=1, copies=1),
            MaterialSpec(
                "营业场所、仓库平面布置图及房屋产权或使用权证明", copies=1, deferrable=True
            ),
            MaterialSpec("药品质量管理制度文件", copies=1),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("资料审查", Role.HANDLER, 3),
            StepSpec("现场检查", Role.HANDLER, 3),
            StepSpec("审核", Role.REVIEWER, 1),
            StepSpec("审批", Role.APPROVER, 1),
        ),
    ),
    ItemSpec(
        department="ZJJ",
        category="XK",
        name="建筑工程施工许可证核发",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=7,
        promised_limit=3,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《中华人民共和国建筑法》第七条、第八条；"
            "《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）"
        ),
        conditions=(
            "1. 已经办理该建筑工程用地批准手续；\n"
            "2. 依法应当办理建设工程规划许可证的，已经取得建设工程规划许可证；\n"
            "3. 需要拆迁的，其拆迁进度符合施工要求；\n"
            "4. 已经确定建筑施工企业；\n"
            "5. 有满足施工需要的资金安排、施工图纸及技术资料；\n"
            "6. 有保证工程质量和安全的具体措施。"
        ),
        materials=(
            MaterialSpec("建筑工程施工许可证申请表", originals=1, copies=0),
            MaterialSpec("建设用地批准文件或不动产权证书", copies=1),
            MaterialSpec("建设工程规划许可证", copies=1),
            MaterialSpec("中标通知书及施工合同", copies=1),
            MaterialSpec(
                "施工图设计文件审查合格书",
                copies=1,
                deferrable=True,
                notes="可容缺受理，发证前补交",
            ),
            MaterialSpec("建设资金已经落实承诺书", originals=1, copies=0),
            MaterialSpec("工程质量安全监督手续", copies=1),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("受理审查", Role.HANDLER, 1),
            StepSpec("审核", Role.REVIEWER, 1),
            StepSpec("审批发证", Role.APPROVER, 1),
        ),
    ),
    ItemSpec(
        department="ZGJ",
        category="XK",
        name="建设工程规划许可证核发",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=20,
        promised_limit=8,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis="《中华人民共和国城乡规划法》第四十条",
        conditions=(
            "1. 已取得建设用地规划许可证或签订国有土地使用权出让合同；\n"
            "2. 建设工程设计方案符合控制性详细规划和规划条件；\n"
            "3. 涉及历史文化保护、城市绿线和蓝线等管控的，已取得相关部门意见。"
        ),
        materials=(
            MaterialSpec("建设工程规划许可证申请表", originals=1, copies=0),
            MaterialSpec("土地权属证明", copies=1),
            MaterialSpec(
                "建设工程设计方案（总平面图及建筑平面、立面、剖面图）",
                originals=1,
                copies=0,
                notes="同时提交电子文件",
            ),
            MaterialSpec("规划条件及建设用地规划许可证", copies=1),
            MaterialSpec("相关部门审查意见", copies=1, deferrable=True),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("方案审查", Role.HANDLER, 4),
            StepSpec("审核", Role.REVIEWER, 2),
            StepSpec("审批", Role.APPROVER, 2),
        ),
    ),
    ItemSpec(
        department="ZGJ",
        category="XK",
        name="建设用地规划许可证核发",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=20,
        promised_limit=8,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis="《中华人民共和国城乡规划法》第三十七条、第三十八条",
        conditions=(
            "1. 以划拨方式提供国有土地使用权的，建设项目已经有关部门批准、核准或者备案；\n"
            "2. 以出让方式取得国有土地使用权的，已签订国有土地使用权出让合同，"
            "合同附具规划条件。"
        ),
        materials=(
            MaterialSpec("建设用地规划许可证申请表", originals=1, copies=0),
            MaterialSpec("项目批准、核准或备案文件", copies=1),
            MaterialSpec("国有土地使用权出让合同或划拨决定书", copies=1),
            MaterialSpec("建设用地红线图及界址点坐标", originals=1, copies=0),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("审查", Role.HANDLER, 4),
            StepSpec("审核", Role.REVIEWER, 2),
            StepSpec("审批", Role.APPROVER, 2),
        ),
    ),
    ItemSpec(
        department="JTJ",
        category="XK",
        name="道路旅客运输经营许可",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=20,
        promised_limit=10,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《中华人民共和国道路运输条例》第八条、第十条；《道路旅客运输及客运站管理规定》"
        ),
        conditions=(
            "1. 有与其经营业务相适应并经检测合格的车辆；\n"
            "2. 有符合规定条件的驾驶人员；\n"
            "3. 有健全的安全生产管理制度；\n"
            "4. 申请从事班线客运经营的，还应当有明确的线路和站点方案。"
        ),
        materials=(
            MaterialSpec("道路旅客运输经营申请表", originals=1, copies=0),
            MaterialSpec("企业章程及营业执照", copies=1),
            MaterialSpec("拟投入车辆承诺书或车辆行驶证", copies=1),
            MaterialSpec("拟聘用驾驶员的机动车驾驶证和从业资格证", copies=1),
            MaterialSpec("安全生产管理制度文本", copies=1, deferrable=True),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("审查", Role.HANDLER, 4),
            StepSpec("审核", Role.REVIEWER, 3),
            StepSpec("审批", Role.APPROVER, 3),
        ),
    ),
    ItemSpec(
        department="WJW",
        category="XK",
        name="公共场所卫生许可",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=20,
        promised_limit=3,
        placement=Placement.FULL,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《公共场所卫生管理条例》第四条、第八条；《公共场所卫生管理条例实施细则》第二十二条"
        ),
        conditions=(
            "1. 经营场所选址、设计、装修符合卫生要求；\n"
            "2. 具有与经营规模相适应的卫生设施和设备；\n"
            "3. 公共场所卫生检测合格；\n"
            "4. 从业人员取得有效健康合格证明；\n"
            "5. 建立卫生管理制度，配备专（兼）职卫生管理人员。"
        ),
        materials=(
            MaterialSpec("卫生许可证申请表", originals=1, copies=0),
            MaterialSpec("营业执照", copies=1),
            MaterialSpec("场所地址方位示意图、平面图和卫生设施平面布局图", copies=1),
            MaterialSpec(
                "公共场所卫生检测或评价报告",
                originals=1,
                copies=0,
                deferrable=True,
                notes="可容缺受理，发证前补交",
            ),
            MaterialSpec("从业人员健康合格证明", copies=1),
            MaterialSpec("卫生管理制度", copies=1),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("审查", Role.CHIEF_REPRESENTATIVE, 2),
            StepSpec("签发", Role.CHIEF_REPRESENTATIVE, 1),
        ),
    ),
    ItemSpec(
        department="WJW",
        category="XK",
        name="医疗机构执业登记",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=45,
        promised_limit=15,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《医疗机构管理条例》第十五条、第十六条、第十七条；《医疗机构管理条例实施细则》"
        ),
        conditions=(
            "1. 按照规定应当办理设置医疗机构批准书的，已取得设置医疗机构批准书；\n"
            "2. 符合医疗机构的基本标准；\n"
            "3. 有适合的名称、组织机构和场所；\n"
            "4. 有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员；\n"
            "5. 有相应的规章制度；\n"
            "6. 能够独立承担民事责任。"
        ),
        materials=(
            MaterialSpec("医疗机构申请执业登记注册书", originals=1, copies=0),
            MaterialSpec(
                "设置医疗机构批准书", copies=1, required=False, notes="按规定需办理设置审批的提交"
            ),
            MaterialSpec("医疗机构用房产权证明或使用证明", copies=1),
            MaterialSpec("医疗机构建筑设计平面图", copies=1),
            MaterialSpec("验资证明或资产评估报告", copies=1),
            MaterialSpec("医疗机构规章制度", copies=1, deferrable=True),
            MaterialSpec("卫生技术人员名录及其执业证书", copies=1),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("资料审查", Role.HANDLER, 4),
            StepSpec("现场审核", Role.HANDLER, 6),
            StepSpec("审核", Role.REVIEWER, 3),
            StepSpec("审批", Role.APPROVER, 2),
        ),
    ),
    ItemSpec(
        department="XFZD",
        category="XK",
        name="公众聚集场所投入使用、营业前消防安全检查",
        processing_type=PROMISED,
        applicant_type=LEGAL,
        statutory_limit=10,
        promised_limit=5,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis="《中华人民共和国消防法》第十五条；《消防监督检查规定》",
        conditions=(
            "1. 依法需要办理消防验收或备案的建设工程，已通过消防验收或备案抽查；\n"
            "2. 消防设施、器材和消防安全标志配置符合国家标准；\n"
            "3. 疏散通道、安全出口畅通；\n"
            "4. 已建立消防安全制度，明确消防安全责任人和管理人；\n"
            "5. 员工经过岗前消防安全培训。"
        ),
        materials=(
            MaterialSpec("公众聚集场所投入使用、营业前消防安全检查申请表", originals=1, copies=0),
            MaterialSpec("营业执照", copies=1),
            MaterialSpec("消防安全制度、灭火和应急疏散预案、场所平面布置图", copies=1),
            MaterialSpec("员工岗前消防安全教育培训记录", copies=1, deferrable=True),
            MaterialSpec(
                "自动消防系统操作人员职业资格证书",
                copies=1,
                required=False,
                notes="设有自动消防设施的场所提交",
            ),
            MaterialSpec("场所消防设施检测报告", originals=1, copies=0),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("材料审查", Role.HANDLER, 1),
            StepSpec("现场检查", Role.HANDLER, 3),
            StepSpec("审批", Role.APPROVER, 1),
        ),
    ),
    ItemSpec(
        department="JYJ",
        category="XK",
        name="民办学校设立",
        processing_type=PROMISED,
        applicant_type=BOTH,
        statutory_limit=60,
        promised_limit=20,
        placement=Placement.MUST_ENTER,
        result_type=ResultType.LICENCE,
        visits_required=2,
        legal_basis=(
            "《中华人民共和国民办教育促进法》第十二条、第十七条；"
            "《中华人民共和国民办教育促进法实施条例》"
        ),
        conditions=(
            "1. 举办者具备法律规定的条件；\n"
            "2. 有规范的学校章程、决策机构和法定代表人；\n"
            "3. 有与办学规模相适应的校舍、设施设备和办学资金；\n"
            "4. 有具备相应资格的校长和教师；\n"
            "5. 办学层次和类别符合本地教育事业发展规划。"
        ),
        materials=(
            MaterialSpec("申办报告", originals=1, copies=0),
            MaterialSpec("举办者资格证明", copies=1),
            MaterialSpec("学校章程及首届决策机构组成人员名单", copies=1),
            MaterialSpec("校长、教师、财会人员资格证明", copies=1, deferrable=True),
            MaterialSpec("办学场所产权证明或租赁合同", copies=1, notes="租赁期限不少于5年"),
            MaterialSpec("资产来源、资金数额及有效证明文件", originals=1, copies=1),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("材料审查", Role.HANDLER, 5),
            StepSpec("实地考察", Role.HANDLER, 8),
            StepSpec("专家评议", Role.REVIEWER, 4),
            StepSpec("局务会审批", Role.APPROVER, 3),
        ),
    ),
    ItemSpec(
        department="CGJ",
        category="XK",
        name="户外广告设施设置审批",
        processing_type=PROMISED,
        applicant_type=BOTH,
        statutory_limit=20,
        promised_limit=5,
        placement=Placement.ENTERED,
        result_type=ResultType.APPROVAL_DOCUMENT,
        legal_basis=(
            "《城市市容和环境卫生管理条例》第十一条；"
            "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）"
        ),
        conditions=(
            "1. 设置地点符合本市户外广告设施设置规划；\n"
            "2. 设施结构安全，符合城市容貌标准；\n"
            "3. 设置在建筑物上的，已取得建筑物所有权人同意。"
        ),
        materials=(
            MaterialSpec("户外广告设施设置申请表", originals=1, copies=0),
            MaterialSpec("申请人身份证件或营业执照", originals=1, copies=1),
            MaterialSpec("设置地点产权证明或使用权证明、业主同意书", copies=1),
            MaterialSpec("设施效果图、设计图及结构安全说明", originals=1, copies=0),
            MaterialSpec(
                "结构安全鉴定报告", copies=1, required=False, notes="大型户外广告设施提交"
            ),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("审查", Role.HANDLER, 2),
            StepSpec("现场勘查", Role.HANDLER, 1),
            StepSpec("审核", Role.REVIEWER, 1),
            StepSpec("审批", Role.APPROVER, 1),
        ),
    ),
    ItemSpec(
        department="CGJ",
        category="XK",
        name="占用、挖掘城市道路审批",
        processing_type=JOINT,
        applicant_type=BOTH,
        statutory_limit=20,
        promised_limit=5,
        placement=Placement.ENTERED,
        result_type=ResultType.APPROVAL_DOCUMENT,
        legal_basis="《城市道路管理条例》第三十条、第三十一条、第三十三条",
        conditions=(
            "1. 因特殊情况确需临时占用或因工程建设确需挖掘城市道路；\n"
            "2. 施工方案和交通组织方案可行，已征得公安交通管理部门同意；\n"
            "3. 新建、扩建、改建的城市道路交付使用后5年内、大修后3年内不予挖掘，"
            "确需挖掘的须经市人民政府批准。"
        ),
        materials=(
            MaterialSpec("占用、挖掘城市道路申请表", originals=1, copies=0),
            MaterialSpec("申请人身份证件或营业执照", originals=1, copies=1),
            MaterialSpec("施工方案及交通组织方案", originals=1, copies=0),
            MaterialSpec("规划批准文件及设计文件", copies=1),
            MaterialSpec("占道位置平面图", originals=1, copies=0),
            MaterialSpec("安全文明施工承诺书", originals=1, copies=0, deferrable=True),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("牵头审查", Role.HANDLER, 1),
            StepSpec("会同公安交警联合踏勘", Role.HANDLER, 2),
            StepSpec("审核", Role.REVIEWER, 1),
            StepSpec("审批", Role.APPROVER, 1),
        ),
        fees=(
            FeeSpec(
                "城市道路占用费",
                legal_basis="《城市道路管理条例》第三十七条",
                rule="按占用面积和期限，依照本市价格主管部门核定的标准计收",
            ),
            FeeSpec(
                "城市道路挖掘修复费",
                legal_basis="《城市道路管理条例》第三十七条",
                rule="按挖掘面积和路面结构，依照本市价格主管部门核定的标准计收",
            ),
        ),
    ),
    ItemSpec(
        department="SLJ",
        category="XK",
        name="取水许可",
        processing_type=PROMISED,
        applicant_type=BOTH,
        statutory_limit=45,
        promised_limit=15,
        placement=Placement.ENTERED,
        result_type=ResultType.LICENCE,
        legal_basis=(
            "《中华人民共和国水法》第七条、第四十八条；"
            "《取水许可和水资源费征收管理条例》第二条、第二十一条"
        ),
        conditions=(
            "1. 取水符合流域综合规划、区域水资源规划和用水总量控制指标；\n"
            "2. 已编制建设项目水资源论证报告并通过审查；\n"
            "3. 有合理的节约用水措施和退水方案。"
        ),
        materials=(
            MaterialSpec("取水许可申请书", originals=1, copies=0),
            MaterialSpec("申请人身份证件或营业执照", originals=1, copies=1),
            MaterialSpec("建设项目水资源论证报告书（表）及审查意见", originals=1, copies=0),
            MaterialSpec("取水工程设计方案", copies=1),
            MaterialSpec("节约用水措施和退水方案", copies=1, deferrable=True),
            MaterialSpec(
                "与第三者利害关系的相关说明", copies=1, required=False, notes="涉及第三者的提交"
            ),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("审查", Role.HANDLER, 5),
            StepSpec("专家论证审查", Role.REVIEWER, 6),
            StepSpec("审核", Role.REVIEWER, 2),
            StepSpec("审批", Role.APPROVER, 2),
        ),
        fees=(
            FeeSpec(
                "水资源费",
                legal_basis="《取水许可和水资源费征收管理条例》第二十八条",
                rule="按实际取水量和省级价格主管部门核定的标准按月计征",
            ),
        ),
    ),
    ItemSpec(
        department="LYJ",
        category="XK",
        name="使用林地审核",
        processing_type=REPORTED,
        applicant_type=LEGAL,
        statutory_limit=20,
        promised_limit=10,
        placement=Placement.ENTERED,
        result_type=ResultType.APPROVAL_DOCUMENT,
        legal_basis=(
            "《中华人民共和国森林法》第三十七条；《中华人民共和国森林法实施条例》第十六条；"
            "《建设项目使用林地审核审批管理办法》"
        ),
        conditions=(
            "1. 建设项目符合林地保护利用规划；\n"
            "2. 属于允许使用林地的建设项目类型；\n"
            "3. 使用林地定额已落实；\n"
            "4. 已编制使用林地可行性报告或林地现状调查表。"
        ),
        materials=(
            MaterialSpec("使用林地申请表", originals=1, copies=0),
            MaterialSpec("用地单位营业执照或法人证书", copies=1),
            MaterialSpec("建设项目有关批准文件", copies=1),
            MaterialSpec("被使用林地权属证明及补偿协议", copies=1, deferrable=True),
            MaterialSpec("使用林地可行性报告或林地现状调查表", originals=1, copies=0),
            _POWER_OF_ATTORNEY,
        ),
        steps=(
            StepSpec("现场查验", Role.HANDLER, 3),
            StepSpec("审核", Role.REVIEWER, 1),
            StepSpec("签发上报", Role.APPROVER, 1),
            StepSpec("上级林业主管部门审核", Role.HANDLER, 5),
        ),
        fees=(
            FeeSpec(
                "森林植被恢复费",
                legal_basis="《中华人民共和国森林法》第三十七条",
                rule="按使用林地的类型和面积，依照规定标准计收",
            ),
        ),
    ),
)


def _guide(
    department: str,
    category: str,
    name: str,
    processing_type: str,
    applicant_type: str,
    statutory_limit: int,
    legal_basis: str,
    conditions: str,
    materials: tuple[MaterialSpec, ...],
    *,
    fees: tuple[FeeSpec, ...] = (),
    result_type: str | None = None,
) -> ItemSpec:
    return ItemSpec(
        department=department,
        category=category,
        name=name,
        processing_type=processing_type,
        applicant_type=applicant_type,
        statutory_limit=statutory_limit,
        legal_basis=legal_basis,
        conditions=conditions,
        materials=standard_materials(name, applicant_type, materials),
        fees=fees,
        result_type=result_type,
    )


M = MaterialSpec

GUIDED = (
    _guide(
        "GAJ",
        "XK",
        "普通护照签发",
        PROMISED,
        NATURAL,
        15,
        "《中华人民共和国护照法》第五条、第六条",
        "中国公民因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国，"
        "且无《中华人民共和国护照法》第十三条规定的不予签发情形。",
        (M("近期免冠彩色证件照片", originals=1, copies=0, notes="可现场免费采集"),),
        fees=(
            FeeSpec(
                "普通护照工本费",
                legal_basis="国家发展改革委、财政部核定的出入境证件收费标准",
                amount=Decimal("120.00"),
            ),
        ),
    ),
    _guide(
        "GAJ",
        "FXK",
        "户口迁移审批",
        PROMISED,
        NATURAL,
        20,
        "《中华人民共和国户口登记条例》第十条",
        "符合本市户籍准入条件（投靠亲属、就业、购房、人才引进等）之一。",
        (
            M("居民户口簿", originals=1, copies=1),
            M("合法稳定住所证明", copies=1, deferrable=True),
            M("准予迁入条件的证明材料", copies=1),
        ),
        result_type=ResultType.CERTIFICATE,
    ),
    _guide(
        "GAJ",
        "XK",
        "旅馆业特种行业许可证核发",
        PROMISED,
        LEGAL,
        20,
        "《旅馆业治安管理办法》第四条；《国务院对确需保留的行政审批项目设定行政许可的决定》",
        "房屋建筑、消防设备、出入口和通道等符合消防安全和治安管理规定；"
        "有健全的治安保卫制度和安全防范设施。",
        (
            M("消防安全检查合格证明", copies=1),
            M("治安保卫制度及安全防范设施说明", copies=1),
            M("经营场所产权证明或租赁合同", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "GAJ",
        "XK",
        "公章刻制业特种行业许可证核发",
        PROMISED,
        LEGAL,
        20,
        "《印铸刻字业暂行管理规则》；《国务院对确需保留的行政审批项目设定行政许可的决定》",
        "有固定的经营场所和必要的刻制设备；有健全的治安管理制度；从业人员无违法犯罪记录。",
        (
            M("刻制设备及技术人员情况", copies=1),
            M("治安管理制度", copies=1),
        ),
    ),
    _guide(
        "GAJ",
        "XK",
        "机动车注册登记",
        PROMISED,
        BOTH,
        5,
        "《中华人民共和国道路交通安全法》第八条、第九条",
        "机动车来历合法，经安全技术检验合格（免检车型除外），已缴纳车辆购置税并投保交强险。",
        (
            M("机动车来历证明", originals=1, copies=0),
            M("机动车整车出厂合格证明或进口凭证", originals=1, copies=0),
            M("车辆购置税完税证明", copies=1),
            M("机动车交通事故责任强制保险凭证", copies=1),
        ),
        fees=(
            FeeSpec(
                "机动车号牌、行驶证工本费",
                legal_basis="《中华人民共和国道路交通安全法》第八十一条",
                rule="按国务院价格主管部门核定的号牌、行驶证工本费标准收取",
            ),
        ),
    ),
    _guide(
        "MZJ",
        "XK",
        "社会团体成立登记",
        PROMISED,
        BOTH,
        60,
        "《社会团体登记管理条例》第三条、第十条、第十二条",
        "有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构；"
        "有固定的住所；有与其业务活动相适应的专职工作人员；有合法的资产和经费来源，"
        "地方性的社会团体有3万元以上活动资金；有独立承担民事责任的能力。",
        (
            M("业务主管单位批准文件", originals=1, copies=0),
            M("章程草案", originals=1, copies=0),
            M("验资报告", originals=1, copies=0),
            M("住所使用权证明", copies=1, deferrable=True),
            M("发起人和拟任负责人基本情况及身份证明", copies=1),
        ),
    ),
    _guide(
        "MZJ",
        "XK",
        "民办非企业单位成立登记",
        PROMISED,
        BOTH,
        60,
        "《民办非企业单位登记管理暂行条例》第三条、第八条",
        "经业务主管单位审查同意；有规范的名称、必要的组织机构；"
        "有与其业务活动相适应的从业人员和合法财产；有必要的场所。",
        (
            M("业务主管单位审查同意文件", originals=1, copies=0),
            M("场所使用权证明", copies=1, deferrable=True),
            M("验资报告", originals=1, copies=0),
            M("章程草案", originals=1, copies=0),
        ),
    ),
    _guide(
        "MZJ",
        "XK",
        "殡葬设施建设审批",
        PROMISED,
        LEGAL,
        20,
        "《殡葬管理条例》第八条",
        "符合本市殡葬事业发展规划；选址不占用耕地、林地，远离水源保护区和居民区。",
        (
            M("建设项目可行性研究报告", originals=1, copies=0),
            M("土地使用权证明", copies=1),
            M("所在地县级民政部门审核意见", originals=1, copies=0),
        ),
    ),
    _guide(
        "RSJ",
        "XK",
        "人力资源服务许可",
        PROMISED,
        LEGAL,
        20,
        "《人力资源市场暂行条例》第十八条、第十九条",
        "有明确的章程和管理制度；有开展业务必备的固定场所和办公设施；"
        "有5名以上取得人力资源服务相关专业资格的专职工作人员。",
        (
            M("经营场所使用证明", copies=1, deferrable=True),
            M("专职工作人员学历和专业资格证明", copies=1),
            M("管理制度文本", copies=1),
        ),
    ),
    _guide(
        "RSJ",
        "XK",
        "劳务派遣经营许可",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》",
        "注册资本不得少于人民币200万元；有与开展业务相适应的固定的经营场所和设施；"
        "有符合法律、行政法规规定的劳务派遣管理制度。",
        (
            M("实缴出资证明", copies=1),
            M("经营场所使用证明", copies=1, deferrable=True),
            M("劳务派遣管理制度", copies=1),
            M("劳务派遣协议样本", copies=1),
        ),
    ),
    _guide(
        "RSJ",
        "XK",
        "企业实行不定时工作制和综合计算工时工作制审批",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国劳动法》第三十九条；"
        "《关于企业实行不定时工作制和综合计算工时工作制的审批办法》",
        "因生产特点不能实行标准工时制度，并已听取工会和职工意见。",
        (
            M("实行特殊工时制度的岗位和人员名单", copies=1),
            M("工会或职工代表大会意见", copies=1, deferrable=True),
            M("保障职工休息休假权利的措施", copies=1),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "HBJ",
        "XK",
        "建设项目环境影响报告书（表）审批",
        PROMISED,
        LEGAL,
        60,
        "《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》第九条",
        "建设项目类型及其选址、布局、规模等符合环境保护法律法规和相关规划；"
        "所在区域环境质量满足功能区要求；采取的污染防治措施能确保污染物排放达到标准。",
        (
            M("环境影响报告书（表）", originals=1, copies=0, notes="同时提交电子文件"),
            M("建设项目立项文件", copies=1),
            M("公众参与说明", copies=1, required=False, notes="编制报告书的项目提交"),
        ),
    ),
    _guide(
        "HBJ",
        "XK",
        "排污许可证核发",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国环境保护法》第四十五条；《排污许可管理条例》",
        "依法取得建设项目环境影响评价文件审批意见或者按规定办理了备案手续；"
        "污染物排放符合排放标准和总量控制要求；有自行监测方案。",
        (
            M("自行监测方案", copies=1),
            M("污染防治设施说明", copies=1),
            M("环境影响评价审批文件", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "HBJ",
        "XK",
        "危险废物经营许可证核发",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国固体废物污染环境防治法》第八十条；《危险废物经营许可证管理办法》",
        "有3名以上环境工程专业或者相关专业中级以上职称，并有3年以上固体废物污染治理经历"
        "的技术人员；有符合规定的运输工具、包装工具、贮存设施和处置设施；"
        "有保证危险废物经营安全的规章制度、污染防治措施和事故应急救援措施。",
        (
            M("专业技术人员职称证明", copies=1),
            M("运输工具、包装容器和贮存设施说明", copies=1),
            M("处置设施及污染防治措施说明", copies=1),
            M("事故应急救援预案", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "ZJJ",
        "XK",
        "商品房预售许可",
        PROMISED,
        LEGAL,
        10,
        "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
        "已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证；"
        "投入开发建设的资金达到工程建设总投资的百分之二十五以上，"
        "并已经确定施工进度和竣工交付日期。",
        (
            M("土地使用权证书", copies=1),
            M("建设工程规划许可证和施工许可证", copies=1),
            M("工程施工合同及投资进度证明", copies=1),
            M("商品房预售方案", originals=1, copies=0),
        ),
    ),
    _guide(
        "ZJJ",
        "XK",
        "建筑业企业资质核准",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》",
        "企业净资产、注册建造师及技术人员、技术装备和工程业绩符合相应资质标准。",
        (
            M("企业净资产证明", copies=1),
            M("注册建造师和中级以上职称人员证书", copies=1),
            M("技术负责人工程业绩证明", copies=1, deferrable=True),
        ),
        result_type=ResultType.CERTIFICATE,
    ),
    _guide(
        "ZJJ",
        "XK",
        "城镇污水排入排水管网许可",
        PROMISED,
        LEGAL,
        15,
        "《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》",
        "排放口设置符合城镇排水规划；排放污水水质符合国家或者地方排放标准；"
        "按规定建设预处理设施并设置专用检测井。",
        (
            M("排水户内部排水管网、专用检测井和排放口位置平面图", copies=1),
            M("排水水质检测报告", originals=1, copies=0, deferrable=True),
            M("预处理设施说明", copies=1),
        ),
    ),
    _guide(
        "JTJ",
        "XK",
        "道路危险货物运输经营许可",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国道路运输条例》第二十三条、第二十四条；《道路危险货物运输管理规定》",
        "有5辆以上经检测合格的危险货物运输专用车辆和设备；驾驶人员、装卸管理人员、"
        "押运人员取得相应从业资格；有健全的安全生产管理制度。",
        (
            M("专用车辆及设备情况说明", copies=1),
            M("驾驶人员、装卸管理人员、押运人员从业资格证", copies=1),
            M("停车场地使用证明", copies=1, deferrable=True),
            M("安全生产管理制度", copies=1),
        ),
    ),
    _guide(
        "JTJ",
        "XK",
        "巡游出租汽车经营许可",
        PROMISED,
        LEGAL,
        20,
        "《国务院对确需保留的行政审批项目设定行政许可的决定》；《巡游出租汽车经营服务管理规定》",
        "有符合要求的车辆或者车辆购置承诺；有取得从业资格的驾驶员；"
        "有健全的经营管理制度、安全生产管理制度和服务质量保障制度；有固定的经营场所和停车场地。",
        (
            M("车辆及驾驶员情况说明", copies=1),
            M("服务质量承诺书", originals=1, copies=0),
            M("经营管理制度文本", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "JTJ",
        "XK",
        "公路超限运输许可",
        PROMISED,
        LEGAL,
        5,
        "《中华人民共和国公路法》第五十条；《超限运输车辆行驶公路管理规定》",
        "确需超限运输不可解体物品，车辆技术状况良好，有可行的运输路线和护送方案。",
        (
            M("车辆行驶证", copies=1),
            M("货物情况说明", copies=1),
            M("运输路线方案", originals=1, copies=0),
            M("护送方案", copies=1, required=False, notes="需要护送的提交"),
        ),
    ),
    _guide(
        "SLJ",
        "XK",
        "河道管理范围内建设项目工程建设方案审批",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国水法》第三十八条；《中华人民共和国防洪法》第二十七条；"
        "《中华人民共和国河道管理条例》第十一条",
        "建设项目符合防洪标准、岸线规划和航运要求，不影响河势稳定和行洪安全。",
        (
            M("防洪评价报告", originals=1, copies=0),
            M("工程建设方案", copies=1),
        ),
    ),
    _guide(
        "SLJ",
        "XK",
        "生产建设项目水土保持方案审批",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国水土保持法》第二十五条、第二十六条",
        "水土保持方案符合水土保持规划和技术标准，水土流失防治措施可行。",
        (
            M("水土保持方案报告书", originals=1, copies=0),
            M("技术评审意见", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "NYJ",
        "XK",
        "农药经营许可",
        PROMISED,
        LEGAL,
        20,
        "《农药管理条例》第二十四条、第二十五条",
        "有具备农药和病虫害防治专业知识，能够指导安全合理使用农药的经营人员；"
        "有与其他商品以及饮用水水源、生活区域等有效隔离的营业场所和仓储场所；"
        "有与所申请经营农药类别相适应的设备、设施和管理制度。",
        (
            M("经营人员专业证明", copies=1),
            M("营业场所及仓储场所地址、面积和平面图", copies=1, deferrable=True),
            M("管理制度和岗位操作规程", copies=1),
        ),
    ),
    _guide(
        "NYJ",
        "XK",
        "兽药经营许可证核发",
        PROMISED,
        LEGAL,
        30,
        "《兽药管理条例》第二十二条",
        "有与所经营的兽药相适应的兽药技术人员；有与所经营的兽药相适应的营业场所、"
        "设备、仓库设施；有与所经营的兽药相适应的质量管理机构或者人员；"
        "有兽药经营质量管理规章制度。",
        (
            M("兽药质量管理制度", copies=1),
            M("兽医相关专业技术人员证明", copies=1),
            M("营业场所和仓库设施证明", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "NYJ",
        "XK",
        "动物防疫条件合格证核发",
        PROMISED,
        LEGAL,
        15,
        "《中华人民共和国动物防疫法》第二十四条、第二十五条",
        "场所位置与居民生活区、生活饮用水水源地、学校、医院等公共场所的距离符合规定；"
        "有相应的污水、污物、病死动物处理设施和清洗消毒设施；有执业兽医或者动物防疫技术人员；"
        "有完善的隔离消毒、购销台账、日常巡查等动物防疫制度。",
        (
            M("场所地理位置图和各功能区布局平面图", copies=1),
            M("设施设备清单", copies=1),
            M("动物防疫管理制度", copies=1, deferrable=True),
            M("兽医技术人员资格证明", copies=1),
        ),
    ),
    _guide(
        "NYJ",
        "XK",
        "农作物种子生产经营许可证核发",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国种子法》第三十一条、第三十二条",
        "具有与种子生产经营相适应的生产经营设施、设备及专业技术人员。",
        (
            M("种子加工、检验设施和仪器设备清单", copies=1),
            M("种子检验人员资质证明", copies=1),
            M("种子贮藏设施证明", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "WGLJ",
        "XK",
        "娱乐场所经营许可",
        PROMISED,
        LEGAL,
        20,
        "《娱乐场所管理条例》第九条",
        "场所地址符合《娱乐场所管理条例》第七条的规定；使用面积符合规定标准；"
        "投资人员、拟任法定代表人和其他负责人没有条例第五条规定的情形。",
        (
            M("投资人员及负责人身份证明和无违法记录承诺书", copies=1),
            M("营业场所平面图", copies=1),
            M("营业场所使用权证明", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "WGLJ",
        "XK",
        "营业性演出审批",
        PROMISED,
        LEGAL,
        3,
        "《营业性演出管理条例》；《营业性演出管理条例实施细则》",
        "演出内容不含法律禁止的内容；演出场所合格，安全保卫工作方案可行。",
        (
            M("演出节目内容及视听资料", copies=1),
            M("演员名单及身份证明", copies=1),
            M("演出场所合格证明", copies=1),
            M("安全保卫工作方案", copies=1, deferrable=True),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "WGLJ",
        "XK",
        "旅行社业务经营许可",
        PROMISED,
        LEGAL,
        20,
        "《旅行社条例》第六条、第七条",
        "有固定的经营场所；有必要的营业设施；有不少于30万元的注册资本。",
        (
            M("经营场所证明", copies=1, deferrable=True),
            M("营业设施设备情况说明", copies=1),
            M("法定代表人履历表及身份证明", copies=1),
        ),
    ),
    _guide(
        "WJW",
        "XK",
        "医师执业注册",
        PROMISED,
        NATURAL,
        20,
        "《中华人民共和国医师法》第十三条、第十四条",
        "取得医师资格，且无《中华人民共和国医师法》第十六条规定的不予注册情形。",
        (
            M("医师资格证书", originals=1, copies=1),
            M("拟执业医疗机构聘用证明", originals=1, copies=0),
            M("近6个月内健康体检证明", originals=1, copies=0, deferrable=True),
        ),
        result_type=ResultType.CERTIFICATE,
    ),
    _guide(
        "WJW",
        "XK",
        "母婴保健技术服务执业许可",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国母婴保健法》第三十二条；《中华人民共和国母婴保健法实施办法》",
        "已取得医疗机构执业许可证；有取得相应资格的技术人员和符合要求的设备设施。",
        (
            M("医疗机构执业许可证", copies=1),
            M("技术人员资格证书", copies=1),
            M("设备设施清单", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "YJJ",
        "XK",
        "危险化学品经营许可证核发",
        PROMISED,
        LEGAL,
        30,
        "《危险化学品安全管理条例》第三十三条、第三十四条、第三十五条",
        "有符合国家标准、行业标准的经营场所和储存设施；从业人员经过专业技术培训并考核合格；"
        "有健全的安全管理规章制度和专职安全管理人员；"
        "有符合规定的危险化学品事故应急预案和必要的应急救援器材、设备。",
        (
            M("经营和储存场所、设施符合标准的证明", copies=1),
            M("主要负责人、安全管理人员考核合格证明", copies=1),
            M("危险化学品事故应急预案", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "YJJ",
        "XK",
        "烟花爆竹经营（零售）许可证核发",
        PROMISED,
        BOTH,
        20,
        "《烟花爆竹安全管理条例》第十八条、第十九条",
        "主要负责人经过安全知识教育；实行专店或者专柜销售，设专人负责安全管理；"
        "经营场所配备必要的消防器材，张贴明显的安全警示标志。",
        (
            M("零售点及周边安全条件说明", copies=1),
            M("主要负责人安全培训合格证明", copies=1),
            M("消防器材配备情况说明", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "SCJ",
        "XK",
        "食品生产许可",
        PROMISED,
        LEGAL,
        10,
        "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》",
        "具有与生产的食品品种、数量相适应的生产场所、设备设施、专业技术人员和管理人员；"
        "有保证食品安全的规章制度；具有合理的设备布局和工艺流程。",
        (
            M("食品生产加工场所及周围环境平面图、各功能区间布局平面图", copies=1),
            M("工艺设备布局图和食品生产工艺流程图", copies=1),
            M("食品生产主要设备、设施清单", copies=1),
            M("食品安全管理制度", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "SCJ",
        "XK",
        "特种设备使用登记",
        PROMISED,
        LEGAL,
        15,
        "《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》",
        "特种设备经监督检验合格，使用单位已配备安全管理人员和作业人员。",
        (
            M("特种设备产品合格证", copies=1),
            M("监督检验证明", copies=1),
            M("安装、改造、修理竣工资料", copies=1, deferrable=True),
        ),
        result_type=ResultType.CERTIFICATE,
    ),
    _guide(
        "FGW",
        "XK",
        "企业投资项目核准",
        PROMISED,
        LEGAL,
        20,
        "《企业投资项目核准和备案管理条例》第三条、第九条",
        "项目符合国家法律法规和宏观调控政策、发展规划和产业政策，"
        "合理开发并有效利用资源，不影响国家安全和生态安全。",
        (
            M("项目申请书", originals=1, copies=0),
            M("用地预审与选址意见书", copies=1, deferrable=True),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "FGW",
        "FXK",
        "固定资产投资项目节能审查",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国节约能源法》第十五条；《固定资产投资项目节能审查办法》",
        "项目用能分析客观准确，节能措施合理可行，能效水平、能源消费量符合要求。",
        (
            M("节能报告", originals=1, copies=0),
            M("节能报告专家评审意见", copies=1, deferrable=True),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "RFB",
        "XK",
        "应建防空地下室的民用建筑项目报建审批",
        PROMISED,
        LEGAL,
        20,
        "《中华人民共和国人民防空法》第二十二条；"
        "《国务院对确需保留的行政审批项目设定行政许可的决定》",
        "城市新建民用建筑按照国家规定修建战时可用于防空的地下室。",
        (
            M("人防工程设计文件", originals=1, copies=1),
            M("建设工程规划许可证", copies=1),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "CGJ",
        "XK",
        "城市建筑垃圾处置核准",
        PROMISED,
        LEGAL,
        20,
        "《国务院对确需保留的行政审批项目设定行政许可的决定》；《城市建筑垃圾管理规定》第七条",
        "有建筑垃圾分类处置方案；有符合规定的运输车辆和消纳场地。",
        (
            M("建筑垃圾处置方案", copies=1),
            M("运输车辆行驶证及运输单位资质", copies=1),
            M("消纳场地证明", copies=1, deferrable=True),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "JYJ",
        "XK",
        "教师资格认定",
        PROMISED,
        NATURAL,
        30,
        "《中华人民共和国教师法》第十条、第十三条；《教师资格条例》",
        "遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备规定的学历；"
        "教师资格考试合格；普通话水平达到相应等级；身体条件符合要求。",
        (
            M("学历证书", originals=1, copies=1),
            M("普通话水平测试等级证书", originals=1, copies=1),
            M("教师资格考试合格证明", copies=1),
            M("体检合格证明", originals=1, copies=0, deferrable=True),
        ),
        result_type=ResultType.CERTIFICATE,
    ),
    _guide(
        "TYJ",
        "XK",
        "高危险性体育项目经营许可",
        PROMISED,
        LEGAL,
        30,
        "《全民健身条例》第三十二条、第三十三条",
        "相关体育设施符合国家标准；有达到规定数量的取得国家职业资格证书的社会体育指导人员"
        "和救助人员；有相应的安全保障制度和措施。",
        (
            M("体育场所和设施符合标准的证明", copies=1),
            M("社会体育指导人员和救助人员资格证明", copies=1),
            M("安全保障制度和措施", copies=1, deferrable=True),
        ),
    ),
    _guide(
        "QXJ",
        "XK",
        "雷电防护装置设计审核",
        PROMISED,
        LEGAL,
        20,
        "《气象灾害防御条例》第二十四条；《雷电防护装置设计审核和竣工验收规定》",
        "雷电防护装置设计由具有相应资质的单位完成，符合国家有关标准和规范。",
        (
            M("雷电防护装置设计说明书和图纸", originals=1, copies=0),
            M("设计单位资质证明", copies=1),
        ),
        result_type=ResultType.APPROVAL_DOCUMENT,
    ),
    _guide(
        "YCJ",
        "XK",
        "烟草专卖零售许可证核发",
        PROMISED,
        BOTH,
        20,
        "《中华人民共和国烟草专卖法》第十六条；《中华人民共和国烟草专卖法实施条例》",
        "有与经营烟草制品零售业务相适应的资金和固定的经营场所；符合本地烟草制品零售点合理布局要求。",
        (M("经营场所产权证明或租赁合同", copies=1, deferrable=True),),
    ),
    _guide(
        "LYJ",
        "XK",
        "林木采伐许可证核发",
        PROMISED,
        BOTH,
        20,
        "《中华人民共和国森林法》第五十六条",
        "采伐林木符合采伐限额和技术规程；林木权属清楚。",
        (
            M("林木权属证明", copies=1),
            M("伐区调查设计或采伐作业说明", copies=1),
        ),
    ),
)
