"""The applicant's side of ratings (好差评) in the online hall: rating a completed case once in
"my cases" on the scale in force, within the time to rate (working days); a poor rating opening
a rectification the applicant follows and rates once it is answered; the signed rating link of
the completion message; and the default level given when no rating came in time."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client

from catalog.models import Role
from supervision.hall_rating_links import rating_token
from supervision.models import Rating, RatingChannel, Rectification, RectificationStatus, RuleSet
from supervision.rating_defaults import ratings_default
from supervision.ratings import rating_submit
from supervision.rectification_ratings import rectification_rate
from supervision.scales import Scale
from tests.factories.catalog import UserFactory, staff_user
from tests.factories.workflow import at, department_staff
from tests.factories.workflow_states import case_in_state, procedure_item
from tests.supervision.office import national_day_2026
from tests.workflow.test_concurrency import at_once
from workflow.exceptions import ActionForbidden, TransitionNotAllowed
from workflow.models import CaseStatus, Notification

pytestmark = pytest.mark.django_db

# Tuesday 29 September 2026: the last working day but one before the National Day week.
BEFORE_NATIONAL_DAY = date(2026, 9, 29)
MONDAY = date(2026, 11, 16)


@pytest.fixture
def version(db):
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def completed(version, staff, day=MONDAY):
    return case_in_state(CaseStatus.COMPLETED, version, staff, now=at(day, 9))


def rules(scale=Scale.FIVE, *, since=date(2026, 1, 1), **fields):
    return RuleSet.objects.create(effective_from=since, rating_scale=scale, **fields)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(case) -> str:
    return f"/my/cases/{case.pk}/rate/"


# --- rating in my cases ---------------------------------------------------------------------


def test_the_applicant_rates_a_completed_case_on_the_five_levels(version, staff):
    case = completed(version, staff)
    client = signed_in(case.applicant)

    with time_machine.travel(at(MONDAY, 15)):
        form = client.get(page(case))
        sent = client.post(page(case), {"level": "5", "comment": "窗口服务热情"}, follow=True)

    html = form.content.decode()
    assert form.status_code == 200
    for words in ("Very satisfied", "Satisfied", "Basically satisfied", "Very dissatisfied"):
        assert words in html
    assert sent.status_code == 200
    assert "You rated it “Very satisfied”" in sent.content.decode()
    rating = Rating.objects.get(case=case)
    assert (rating.scale, rating.level, rating.channel) == (Scale.FIVE, 5, RatingChannel.ONLINE)
    assert rating.rated_by == case.applicant and rating.comment == "窗口服务热情"
    assert not Rectification.objects.exists()


def test_on_the_four_level_scale_the_page_offers_four_and_the_rating_keeps_its_scale(
    version, staff
):
    rules(Scale.FOUR)
    case = completed(version, staff)
    client = signed_in(case.applicant)

    with time_machine.travel(at(MONDAY, 15)):
        html = client.get(page(case)).content.decode()
        refused = client.post(page(case), {"level": "5"})
        client.post(page(case), {"level": "3"})
    rules(Scale.FIVE, since=MONDAY + timedelta(days=1))

    assert html.count('name="level"') == 4 and "Fairly good" in html
    assert refused.status_code == 400
    assert "Choose one of the levels offered." in refused.content.decode()
    rating = Rating.objects.get(case=case)
    assert (rating.scale, rating.level) == (Scale.FOUR, 3)
    with time_machine.travel(at(MONDAY + timedelta(days=2), 15)):
        # Sessions are short; the applicant signs in again.
        shown = signed_in(case.applicant).get(page(case)).content.decode()
    assert "You rated it “Fairly good”" in shown


def test_a_case_is_rated_once_the_second_attempt_is_refused(version, staff):
    case = completed(version, staff)
    client = signed_in(case.applicant)

    with time_machine.travel(at(MONDAY, 15)):
        client.post(page(case), {"level": "4"})
        again = client.post(page(case), {"level": "1"})

    assert again.status_code == 409
    assert Rating.objects.get(case=case).level == 4
    assert not Rectification.objects.exists()


def test_a_case_is_not_rated_before_its_result_is_handed_over(version, staff):
    case = case_in_state(CaseStatus.DECIDED, version, staff, now=at(MONDAY, 9))
    client = signed_in(case.applicant)

    with time_machine.travel(at(MONDAY, 15)):
        shown = client.get(page(case))
        sent = client.post(page(case), {"level": "5"})

    assert shown.status_code == 409 and sent.status_code == 409
    assert "A case is rated once its result has been handed over." in shown.content.decode()
    assert not Rating.objects.exists()


def test_the_time_to_rate_counts_working_days_across_the_national_day_holiday(version, staff):
    national_day_2026()
    rules(rating_workdays=3)
    case = completed(version, staff, BEFORE_NATIONAL_DAY)
    client = signed_in(case.applicant)

    # 30 September, then 8 and 9 October: the 1 – 7 October holiday does not count.
    with time_machine.travel(at(date(2026, 10, 9), 15)):
        last_day = client.get(page(case))
    with time_machine.travel(at(date(2026, 10, 10), 9)):
        late = signed_in(case.applicant).post(page(case), {"level": "5"})

    assert last_day.status_code == 200 and "by 2026-10-09" in last_day.content.decode()
    assert late.status_code == 409
    assert "The time to rate this case ended on 2026-10-09." in late.content.decode()
    assert not Rating.objects.exists()


def test_another_applicants_case_and_any_staff_account_get_404(version, staff):
    case = completed(version, staff)

    with time_machine.travel(at(MONDAY, 15)):
        other = signed_in(UserFactory()).post(page(case), {"level": "1"})
        clerk = signed_in(staff.clerk).get(page(case))
        anonymous = Client().get(page(case))

    assert other.status_code == 404 and clerk.status_code == 404
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login/")
    assert not Rating.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_ratings_sent_at_once_make_one(version, staff):
    case = completed(version, staff)

    with time_machine.travel(at(MONDAY, 15)):
        outcomes = at_once(
            lambda level: rating_submit(
                case=case.pk, level=level, channel=RatingChannel.ONLINE, by=case.applicant
            ),
            [5, 1],
        )

    won = [o for o in outcomes if isinstance(o, Rating)]
    refused = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert len(won) == 1 and len(refused) == 1
    assert Rating.objects.get(case=case).level == won[0].level
    assert Rectification.objects.count() == (1 if won[0].level == 1 else 0)


# --- a poor rating and its rectification ----------------------------------------------------


def answer(rectification):
    # The department's answer, as the staff side records it.
    Rectification.objects.filter(pk=rectification.pk).update(
        status=RectificationStatus.ANSWERED,
        answer="已对窗口人员批评教育，并当面致歉。",
        callback_note="10月13日电话回访，申请人表示认可。",
        answered_on=date(2026, 10, 12),
    )


def test_a_poor_rating_opens_a_rectification_due_in_five_working_days_across_the_holiday(
    version, staff
):
    national_day_2026()
    case = completed(version, staff, BEFORE_NATIONAL_DAY)
    client = signed_in(case.applicant)

    with time_machine.travel(at(BEFORE_NATIONAL_DAY, 15)):
        client.post(page(case), {"level": "2", "comment": "等了两个小时"})
        html = client.get(page(case)).content.decode()

    rectification = Rectification.objects.get(case=case)
    # 30 September, 8, 9 and Saturday 10 October (a make-up working day), Monday 12 October.
    assert rectification.due_on == date(2026, 10, 12)
    assert rectification.department_id == case.department_id
    assert "You rated it “Dissatisfied”" in html
    assert "To rectify" in html and "2026-10-12" in html
    assert "Rate the rectification" not in html


def test_the_applicant_rates_the_rectification_only_once_it_is_answered(version, staff):
    case = completed(version, staff)
    client = signed_in(case.applicant)
    target = f"/my/cases/{case.pk}/rate/rectification/"
    with time_machine.travel(at(MONDAY, 15)):
        client.post(page(case), {"level": "1"})
        early = client.post(target, {"rectification-level": "4"})
    rectification = Rectification.objects.get(case=case)
    assert early.status_code == 409
    assert "once the department has answered it" in early.content.decode()

    answer(rectification)
    with time_machine.travel(at(MONDAY + timedelta(days=3), 15)):
        client = signed_in(case.applicant)
        html = client.get(page(case)).content.decode()
        stranger = signed_in(UserFactory()).post(target, {"rectification-level": "1"})
        rated = client.post(target, {"rectification-level": "4", "rectification-comment": "满意"})
        again = client.post(target, {"rectification-level": "1"})
        shown = client.get(page(case)).content.decode()

    assert "已对窗口人员批评教育" in html and "电话回访" in html
    assert "Rate the rectification" in html
    assert stranger.status_code == 404
    assert rated.status_code == 302 and again.status_code == 409
    rectification.refresh_from_db()
    assert (rectification.applicant_level, rectification.applicant_comment) == (4, "满意")
    assert "Rate the rectification" not in shown and "Your rating of the rectification" in shown


def test_the_rectification_service_keeps_its_guard(version, staff):
    case = completed(version, staff)
    rating = rating_submit(
        case=case, level=1, channel=RatingChannel.ONLINE, by=case.applicant, now=at(MONDAY, 15)
    )
    rectification = rating.rectification
    answer(rectification)

    with pytest.raises(ActionForbidden):
        rectification_rate(rectification=rectification, level=5, by=UserFactory(), now=at(MONDAY))
    with pytest.raises(Exception, match="Choose one of the levels"):
        rectification_rate(rectification=rectification, level=9, by=case.applicant)


# --- the link of the completion message -----------------------------------------------------


def test_the_completion_message_ends_with_a_rating_link_that_rates_without_log_in(version, staff):
    case = completed(version, staff)
    sms = Notification.objects.get(case=case, template="delivered_rate", channel="sms")
    url = sms.payload["rate_url"]
    assert url.startswith("http://") and "/rate/" in url
    path = "/rate/" + url.split("/rate/")[1]

    with time_machine.travel(at(MONDAY, 15)):
        shown = Client().get(path)
        sent = Client().post(path, {"level": "4"}, follow=True)
        again = Client().post(path, {"level": "1"})

    html = shown.content.decode()
    assert shown.status_code == 200
    assert case.number in html and case.item_version.name in html
    assert case.applicant_name not in html and case.contact_phone not in html
    assert "This case was rated “Satisfied”" in sent.content.decode()
    assert again.status_code == 409
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.channel, rating.rated_by) == (4, RatingChannel.LINK, None)


def test_without_the_hook_the_completion_message_has_no_link(settings, version, staff):
    settings.CASE_RATING_LINK = ""
    case = completed(version, staff)

    templates = set(Notification.objects.filter(case=case).values_list("template", flat=True))

    assert "delivered" in templates and "delivered_rate" not in templates


def test_an_expired_or_forged_link_gets_a_clear_page(version, staff):
    case = completed(version, staff)
    with time_machine.travel(at(MONDAY, 9)):
        token = rating_token(case)

    with time_machine.travel(at(MONDAY + timedelta(days=31), 9)):
        expired = Client().get(f"/rate/{token}/")
    with time_machine.travel(at(MONDAY, 15)):
        forged = Client().post(f"/rate/{token[:-2]}xx/", {"level": "1"})
        nonsense = Client().get("/rate/x/")

    assert expired.status_code == 410
    assert "This rating link has expired" in expired.content.decode()
    assert forged.status_code == 400 and nonsense.status_code == 400
    assert "This rating link is not valid" in forged.content.decode()
    assert not Rating.objects.exists()


# --- the case page's panel and the list's mark ----------------------------------------------


def test_the_case_page_asks_for_a_rating_then_shows_it(version, staff):
    case = completed(version, staff)
    client = signed_in(case.applicant)

    with time_machine.travel(at(MONDAY, 15)):
        before = client.get(f"/my/cases/{case.pk}/").content.decode()
        listed = client.get("/my/cases/").content.decode()
        client.post(page(case), {"level": "2"})
        after = client.get(f"/my/cases/{case.pk}/").content.decode()
        relisted = client.get("/my/cases/").content.decode()

    assert "Rate this case" in before and "You may rate this case until 2026-11-30" in before
    assert "to rate" in listed and "to rate" not in relisted
    assert "You rated it “Dissatisfied”" in after
    assert "The department is rectifying it and answers by 2026-11-23" in after


# --- the default when not rated in time -----------------------------------------------------


def test_the_default_level_rates_the_cases_whose_time_closed_unrated(version, staff):
    rules(rating_workdays=3, rating_default_level=4)
    late = completed(version, staff, date(2026, 11, 10))
    rated = completed(version, staff, date(2026, 11, 10))
    fresh = completed(version, staff, MONDAY)
    rating_submit(
        case=rated,
        level=5,
        channel=RatingChannel.ONLINE,
        by=rated.applicant,
        now=at(date(2026, 11, 11)),
    )

    # 10 November + 3 working days = 13 November: closed by Monday the 16th.
    written = ratings_default(today=MONDAY, now=at(MONDAY, 1))
    again = ratings_default(today=MONDAY, now=at(MONDAY, 2))

    assert (written, again) == (1, 0)
    default = Rating.objects.get(case=late)
    assert (default.level, default.channel, default.poor) == (4, RatingChannel.DEFAULT, False)
    assert default.department_id == late.department_id and default.staff_id == staff.clerk.pk
    assert Rating.objects.get(case=rated).level == 5
    assert not Rating.objects.filter(case=fresh).exists()
    assert not Rectification.objects.exists()


def test_without_a_default_level_a_case_not_rated_in_time_stays_unrated(version, staff):
    rules(rating_workdays=3)
    completed(version, staff, date(2026, 11, 10))

    call_command("rate_by_default", "--on", "2026-11-16")

    assert not Rating.objects.exists()


def test_the_command_rates_by_default_as_of_a_day(version, staff, capsys):
    rules(rating_workdays=3, rating_default_level=5)
    case = completed(version, staff, date(2026, 11, 10))

    call_command("rate_by_default", "--on", "2026-11-13")
    call_command("rate_by_default", "--on", "2026-11-16")

    assert "1 case rated by default." in capsys.readouterr().out
    assert Rating.objects.get(case=case).channel == RatingChannel.DEFAULT


def test_a_rule_set_refuses_a_poor_default_level():
    for scale, level in ((Scale.FIVE, 2), (Scale.FIVE, 1), (Scale.FOUR, 1), (Scale.FOUR, 5)):
        rule_set = RuleSet(
            effective_from=date(2027, 1, 1), rating_scale=scale, rating_default_level=level
        )
        with pytest.raises(ValidationError) as refused:
            rule_set.full_clean()
        assert "rating_default_level" in refused.value.message_dict
    RuleSet(
        effective_from=date(2027, 1, 1), rating_scale=Scale.FOUR, rating_default_level=3
    ).full_clean()


def test_the_admin_form_shows_the_refusal(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        "/admin/supervision/ruleset/add/",
        {
            "effective_from": "2027-01-01",
            "rating_scale": Scale.FIVE,
            "rating_default_level": "2",
            "thresholds-TOTAL_FORMS": "0",
            "thresholds-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "A default level cannot be a poor rating" in response.content.decode()
    assert not RuleSet.objects.exists()
    assert staff_user(Role.SUPERVISION_OFFICER)  # the admin page is the administrator's only


# --- the applicant's API --------------------------------------------------------------------


def api_for(user):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_applicant_reads_and_gives_the_rating_in_the_api(version, staff):
    case = completed(version, staff)
    api = api_for(case.applicant)
    url = f"/api/v1/me/cases/{case.pk}/rating/"

    with time_machine.travel(at(MONDAY, 15)):
        before = api.get(url).json()
        bad = api.post(url, {"level": 9}, format="json")
        rated = api.post(url, {"level": 1, "comment": "没人接电话"}, format="json")
        again = api.post(url, {"level": 5}, format="json")
        early = api.post(f"{url}rectification/", {"level": 4}, format="json")
        other = api_for(UserFactory()).get(url)
        clerk = api_for(staff.clerk).get(url)

    assert before["may_rate"] is True and before["rating"] is None
    assert before["closes_on"] == "2026-11-30" and len(before["levels"]) == 5
    assert bad.status_code == 400
    assert rated.status_code == 201
    body = rated.json()
    assert body["rating"]["level"] == 1 and body["rating"]["channel"] == "online"
    assert body["rectification"]["due_on"] == "2026-11-23"
    assert body["rectification"]["may_rate"] is False and body["may_rate"] is False
    assert again.status_code == 409 and early.status_code == 409
    assert other.status_code == 404 and clerk.status_code == 403

    answer(Rectification.objects.get(case=case))
    with time_machine.travel(at(MONDAY, 16)):
        done = api.post(f"{url}rectification/", {"level": 4, "comment": "已解决"}, format="json")
    assert done.status_code == 200 and done.json()["rectification"]["applicant_level"] == 4


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_rates_on_both_scales_leaves_poor_ones_open_and_zhang_san_unrated(version, staff):
    from supervision.demo_hallrate import demo_hallrate_load
    from workflow.demo.cases import APPLICANT_USERNAME

    zhang_san = UserFactory(username=APPLICANT_USERNAME)
    old = [completed(version, staff, date(2026, 9, 1) + timedelta(days=i)) for i in range(5)]
    new = [completed(version, staff, date(2026, 11, 2) + timedelta(days=i)) for i in range(7)]
    mine = case_in_state(CaseStatus.COMPLETED, version, staff, now=at(MONDAY, 9))
    mine.applicant = zhang_san
    mine.save(update_fields=["applicant"])

    counts = demo_hallrate_load(now=at(date(2026, 12, 2), 12))
    again = demo_hallrate_load(now=at(date(2026, 12, 2), 12))

    assert again == {}
    assert counts["four"] >= 3 and counts["five"] >= 5 and counts["poor"] >= 2
    assert set(Rating.objects.filter(case__in=old).values_list("scale", flat=True)) == {"four"}
    assert set(Rating.objects.filter(case__in=new).values_list("scale", flat=True)) == {"five"}
    assert Rectification.objects.filter(status=RectificationStatus.OPEN).count() >= 2
    assert not Rating.objects.filter(case=mine).exists()
