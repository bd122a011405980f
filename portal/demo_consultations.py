"""The demo hall's consultations: a question of 张三's answered and published, so that the guide
of 食品经营许可 shows a question and answer, and two open questions about 企业设立登记 in the
queue of the 市场监督管理局's window (scj_clerk), one of them overdue.

Safe to run again: a demo question already asked (same applicant, item and text) is left as it is.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import ItemVersion, VersionStatus
from workflow.demo import APPLICANT_USERNAME

from .consultations import consultation_answer, consultation_ask, consultation_publish
from .demo import COMPANY_PHONE
from .models import Consultation

CLERK_USERNAME = "scj_clerk"

FOOD_QUESTION = (
    "我叫张三，身份证号码尾号002X，想在江州市上城区开一家小餐馆，营业面积约40平方米。"
    "申请食品经营许可前是否需要先办好营业执照？现场核查一般什么时候来？"
)
FOOD_ANSWER = (
    "您好！申请食品经营许可须先取得营业执照等合法主体资格证明。材料齐全、符合法定形式的，"
    "窗口当场受理；受理后我局在承诺时限内安排现场核查，核查人员会提前一个工作日电话联系您。"
)
FAQ_QUESTION = "申请食品经营许可前是否需要先办好营业执照？现场核查一般什么时候来？"
COMPANY_QUESTION = "我公司拟变更住所，新住所的租赁合同还在签订中，能否先容缺受理企业设立登记，稍后再补交住所使用证明？"
ZHANG_SAN_QUESTION = "企业设立登记可以全程网上办理吗？营业执照是否可以邮寄送达？"


def _item_code(name: str) -> str:
    return (
        ItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, name=name, department__code="SCJ"
        )
        .values_list("item__code", flat=True)
        .get()
    )


def _ask(applicant, item_code: str, question: str, days_ago: int) -> tuple[Consultation, bool]:
    existing = Consultation.objects.filter(
        applicant=applicant, item__code=item_code, question=question
    ).first()
    if existing is not None:
        return existing, False
    asked_at = timezone.now() - timedelta(days=days_ago)
    return consultation_ask(
        applicant=applicant, item_code=item_code, question=question, now=asked_at
    ), True


def demo_consultations_load() -> int:
    """Ask, answer and publish the demo questions that do not exist yet; returns how many were
    asked by this run. Needs the demo city, its cases' applicant and the hall's accounts."""
    users = get_user_model().objects
    zhang_san = users.get(username=APPLICANT_USERNAME)
    company = users.get(username=COMPANY_PHONE)
    clerk = users.get(username=CLERK_USERNAME)
    food, founding = _item_code("食品经营许可"), _item_code("企业设立登记")

    answered, created = _ask(zhang_san, food, FOOD_QUESTION, days_ago=9)
    if created:
        consultation_answer(
            consultation=answered,
            by=clerk,
            answer=FOOD_ANSWER,
            now=answered.asked_at + timedelta(days=1),
        )
        consultation_publish(
            consultation=answered, by=clerk, question=FAQ_QUESTION, answer=FOOD_ANSWER
        )
    asked = int(created)
    for applicant, question, days_ago in (
        (company, COMPANY_QUESTION, 0),
        (zhang_san, ZHANG_SAN_QUESTION, 8),
    ):
        asked += _ask(applicant, founding, question, days_ago)[1]
    return asked
