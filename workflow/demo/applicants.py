"""The demo city's applicants: residents of 江州 and beyond, and the companies they work for.

Invented people, generated from a seeded random source so that every load makes the same ones:
names from common surnames and given names of the generation the person was born in, resident
ID numbers with a real birth date, a real division code and a valid check digit (GB 11643),
companies with unified social credit codes whose organisation code and check character are both
right (GB 11714, GB 32100). They are data, not text of the application: nothing here is
translated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from catalog.demo.organization import STAFF
from catalog.models import ApplicantType

from ..identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_resident_id,
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Frequent surnames, roughly in the order of the census; the first ones come up most.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
# Given names by the decade people were born in: 建国 and 秀英 are not names of the 2000s.
GIVEN_NAMES = {
    # born before 1975
    "older": {
        "m": "建国 建华 国庆 卫东 志强 德明 永康 春生 立新 振华 建军 学文 桂林 长青 宝山 海林 "
        "福生 金生 光明 文忠",
        "f": "秀英 桂英 玉兰 淑珍 凤英 秀兰 桂芳 丽华 美华 素芬 月娥 玉梅 春兰 翠花 惠芳 "
        "秀珍 金凤 爱华 彩霞 红梅",
    },
    # 1975–1994
    "middle": {
        "m": "伟 强 磊 军 勇 杰 涛 明 超 斌 鹏 辉 刚 俊 晓东 海峰 志刚 建平 文斌 "
        "宏伟 永刚 国栋 晓峰 剑锋 立军",
        "f": "芳 娜 敏 静 丽 艳 娟 霞 婷 燕 晓红 海燕 春梅 丽娟 晓燕 慧敏 美玲 雪梅 "
        "红霞 文静 晓丽 玉洁",
    },
    # 1995 and later
    "younger": {
        "m": "浩 宇 轩 子豪 浩然 宇轩 家豪 思远 天佑 一鸣 梓睿 博文 俊熙 子轩 皓轩 "
        "睿哲 明轩 嘉懿 逸飞 泽宇",
        "f": "欣怡 雨涵 梓涵 诗琪 佳怡 思雨 雅婷 子涵 可馨 语嫣 梦瑶 紫萱 一诺 若曦 "
        "诗涵 欣然 晨曦 雨桐 佳琪 心怡",
    },
}
# Division codes of residents' registered homes (户籍): mostly the city's districts and its
# two counties, some from elsewhere in the province and the country.
HOME_DIVISIONS = (
    ("330102", 6),  # 江州市 上城区 (the code the demo city borrows)
    ("330105", 5),
    ("330106", 5),
    ("330108", 4),
    ("330109", 4),
    ("330110", 4),
    ("330121", 5),  # 东湖县
    ("330122", 5),  # 西山县
    ("330302", 2),  # 温州 鹿城区
    ("330602", 2),  # 绍兴 越城区
    ("331002", 1),  # 台州 椒江区
    ("341002", 1),  # 黄山 屯溪区
    ("360102", 1),  # 南昌 东湖区
    ("320106", 1),  # 南京 鼓楼区
    ("310115", 1),  # 上海 浦东新区
    ("110105", 1),  # 北京 朝阳区
    ("420106", 1),  # 武汉 武昌区
    ("510107", 1),  # 成都 武侯区
    ("410105", 1),  # 郑州 金水区
    ("430104", 1),  # 长沙 岳麓区
)
MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 173 176 177 180 181 182 183 185 186 187 188 189 191 199"
)
# Places in company names, with the division code of their registration (positions 3–8 of
# the credit code).
COMPANY_PLACES = (
    ("江州", "330100"),
    ("江州市", "330100"),
    ("东湖县", "330121"),
    ("西山县", "330122"),
)
TRADE_NAMES = _words(
    "恒达 瑞丰 鼎盛 华信 金穗 启航 云帆 汇通 博远 嘉禾 泰和 锦程 新元 中拓 鑫源 安澜 同创 百川 "
    "德润 宏业 永盛 天成 汇丰 江南 东方 明珠 长兴 万象 聚能 润泽 华腾 广厦 立达 远景 合力 "
    "恒信 昌盛 裕隆 凯旋 正泰"
)
# What the companies do, by the department they deal with; "" is any department.
INDUSTRIES = {
    "SCJ": _words("食品 餐饮管理 商贸 医药连锁 科技 特种设备安装 电子商务 农产品 日用品 计量检测"),
    "ZJJ": _words("建筑工程 建设 市政工程 房地产开发 燃气 工程检测 建筑设计 工程监理 装饰工程"),
    "ZGJ": _words("置业 房地产开发 矿业 实业 城市建设投资 物流 新材料 文旅发展"),
    "": _words("实业 投资 科技 贸易"),
}
LEGAL_FORMS = (("有限公司", 8), ("有限责任公司", 2), ("股份有限公司", 1))
# GB 11714: weights of the organisation code's 8 characters; letters count 10 (A) to 35 (Z).
ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# The online hall's demo account, kept from the first demo: 张三 with a valid number.
ZHANG_SAN_ID = "11010519491231002X"

SEED = 20260101
PEOPLE = 160
# The first this many people have an online-hall account (their phone number as username).
ONLINE_PEOPLE = 40
COMPANIES_PER_DEPARTMENT = 30


@dataclass(frozen=True)
class Person:
    """A natural person: name, resident ID number, mobile phone."""

    surname: str
    given_name: str
    id_number: str
    phone: str

    @property
    def name(self) -> str:
        return self.surname + self.given_name

    def particulars(self) -> dict[str, Any]:
        """The applicant fields of a case this person applies in, for themselves."""
        return {
            "applicant_kind": ApplicantType.NATURAL,
            "applicant_name": self.name,
            "id_number": self.id_number,
            "contact_phone": self.phone,
        }


@dataclass(frozen=True)
class Company:
    """A legal person: name, credit code, phone, and the person who applies for it (its agent)."""

    name: str
    credit_code: str
    phone: str
    agent: Person
    department: str

    def particulars(self) -> dict[str, Any]:
        """The applicant fields of a case the company applies in, through its agent."""
        return {
            "applicant_kind": ApplicantType.LEGAL,
            "applicant_name": self.name,
            "credit_code": self.credit_code,
            "agent_name": self.agent.name,
            "agent_id_number": self.agent.id_number,
            "contact_phone": self.phone,
        }


ZHANG_SAN = Person(surname="张", given_name="三", id_number=ZHANG_SAN_ID, phone="13800138000")


def _hengda() -> Company:
    agent = Person(
        surname="李",
        given_name="四",
        id_number=resident_id("330102", date(1985, 6, 15), 123, male=True),
        phone="13900139000",
    )
    return Company(
        name="江州恒达商贸有限公司",
        credit_code=credit_code("330100", organisation_code("MA2B3C4D")),
        phone=agent.phone,
        agent=agent,
        department="SCJ",
    )


@dataclass(frozen=True)
class Applicants:
    """Everyone who applies in the demo city."""

    people: tuple[Person, ...]
    companies: tuple[Company, ...]

    @property
    def online(self) -> tuple[Person, ...]:
        """The people with an online-hall account."""
        return self.people[:ONLINE_PEOPLE]


def resident_id(division: str, born: date, sequence: int, *, male: bool) -> str:
    """A resident ID number (GB 11643): division, birth date, sequence (odd for men), check."""
    sequence = sequence * 2 + (1 if male else 0)
    first17 = f"{division}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def organisation_code(body: str) -> str:
    """The 9-character organisation code (GB 11714): 8 characters and their check character."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, ORGANISATION_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(division: str, organisation: str) -> str:
    """A company's unified social credit code (GB 32100): registered with market regulation
    (9), an enterprise (1), its division and organisation code, and the check character."""
    first17 = f"91{division}{organisation}"
    return first17 + credit_code_check_char(first17)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _w in table], weights=[w for _v, w in table])[0]


def _people(rng: random.Random, today: date, taken: set[str]) -> list[Person]:
    people: list[Person] = []
    phones: set[str] = {ZHANG_SAN.phone}
    # Frequent surnames come up more often, as they do in a queue at the window.
    weights = [1 / (rank + 8) for rank in range(len(SURNAMES))]
    while len(people) < PEOPLE:
        age = rng.randint(20, 72)
        born = today - timedelta(days=365 * age + rng.randint(0, 364))
        era = "older" if born.year < 1975 else "middle" if born.year < 1995 else "younger"
        male = rng.random() < 0.52
        surname = rng.choices(SURNAMES, weights=weights)[0]
        given = rng.choice(GIVEN_NAMES[era]["m" if male else "f"].split())
        if surname + given in taken:
            continue
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone in phones:
            continue
        number = resident_id(_weighted(rng, HOME_DIVISIONS), born, rng.randrange(500), male=male)
        taken.add(surname + given)
        phones.add(phone)
        people.append(Person(surname=surname, given_name=given, id_number=number, phone=phone))
    return people


def _organisation_body(rng: random.Random) -> str:
    # Codes given since the 2015 reform begin with MA; older companies kept their 8 digits.
    letters = CREDIT_CODE_ALPHABET[10:]
    if rng.random() < 0.6:
        return (
            "MA"
            + rng.choice("0123456789ABCDEFGH")
            + "".join(rng.choice(CREDIT_CODE_ALPHABET[:10] + letters) for _ in range(5))
        )
    return rng.choice("1234567") + "".join(rng.choice(CREDIT_CODE_ALPHABET[:10]) for _ in range(7))


def _companies(rng: random.Random, online: list[Person]) -> list[Company]:
    companies: list[Company] = []
    names: set[str] = set()
    codes: set[str] = set()
    for department, industries in INDUSTRIES.items():
        count = COMPANIES_PER_DEPARTMENT if department else COMPANIES_PER_DEPARTMENT // 2
        made = 0
        while made < count:
            place, division = rng.choice(COMPANY_PLACES)
            form = _weighted(rng, LEGAL_FORMS)
            name = f"{place}{rng.choice(TRADE_NAMES)}{rng.choice(industries)}{form}"
            if name in names:
                continue
            code = credit_code(division, organisation_code(_organisation_body(rng)))
            if code in codes:
                continue
            # The agent files online for the company, so it is someone with an account.
            agent = rng.choice(online)
            phone = agent.phone if rng.random() < 0.6 else f"0571{rng.randint(81000000, 89999999)}"
            names.add(name)
            codes.add(code)
            companies.append(
                Company(
                    name=name, credit_code=code, phone=phone, agent=agent, department=department
                )
            )
            made += 1
    return companies


def demo_applicants(today: date) -> Applicants:
    """The demo city's applicants, the same ones for the same ``today`` (birth dates are
    measured back from it, so that ages stay plausible)."""
    rng = random.Random(SEED)
    # Nobody applies under a demo staff member's name, nor under 张三's.
    taken = {spec.last_name + spec.first_name for spec in STAFF} | {ZHANG_SAN.name, "李四"}
    people = _people(rng, today, taken)
    companies = _companies(rng, people[:ONLINE_PEOPLE])
    for person in people:
        validate_resident_id(person.id_number)
    for company in companies:
        validate_credit_code(company.credit_code)
    return Applicants(people=tuple(people), companies=tuple(companies))


# The online hall's demo company: its agent 李四 logs in with the company's phone number.
HENGDA = _hengda()
