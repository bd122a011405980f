"""The notices as PDFs: an A4 document with the case and notice numbers in its text, stored once
when the notice is issued and never changed afterwards, downloaded only by the applicant and the
department's staff, and a page that says so when the PDF cannot be made on this machine."""

import hashlib
import io
import sys
from datetime import date
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from catalog.models import Department
from tests.factories.workflow import (
    accepted_case,
    applicant_user,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.models import Decision, Notice, NoticeKind
from workflow.notice_documents import PdfUnavailable
from workflow.services.notices import notice_pdf_store, notice_pdfs_deferred
from workflow.tasks import notice_pdfs_store_task

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
FRIDAY = date(2026, 11, 20)
# A4 in PostScript points.
A4 = (595, 842)


@pytest.fixture
def version():
    return item_with_procedure(promised_limit=5, statutory_limit=20)


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def acceptance(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    return case.notices.get(kind=NoticeKind.ACCEPTANCE)


def staff_pdf_url(notice):
    return reverse("workbench-notice-pdf", args=[notice.case_id, notice.pk])


def applicant_pdf_url(notice):
    return reverse("applicant-notice-pdf", args=[notice.case_id, notice.pk])


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored_bytes(notice) -> bytes:
    with default_storage.open(notice.pdf.name, "rb") as handle:
        return handle.read()


@pytest.fixture
def no_weasyprint(monkeypatch):
    # As on a machine where the package (or Pango under it) is missing: importing it fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)


# --- the document ---------------------------------------------------------------------------


def test_the_applicant_downloads_an_a4_pdf_with_the_case_and_notice_numbers_in_its_text(
    client, acceptance
):
    client.force_login(acceptance.case.applicant)

    response = client.get(applicant_pdf_url(acceptance))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote(acceptance.number) in disposition
    data = body(response)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert acceptance.case.number in text
    assert acceptance.number in text
    assert "Acceptance receipt" in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == A4


def test_staff_of_the_department_download_the_same_document(client, acceptance, staff):
    client.force_login(acceptance.case.applicant)
    for_applicant = body(client.get(applicant_pdf_url(acceptance)))

    client.force_login(staff.clerk)
    response = client.get(staff_pdf_url(acceptance))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == for_applicant


def test_the_pdf_is_written_in_chinese_with_its_characters_as_text(client, zh_hans, version, staff):
    case = decided_case(version, staff, now=at(MONDAY), decision=Decision.DENIED)
    notice = case.notices.get(kind=NoticeKind.DENIAL)
    client.force_login(staff.approver)

    text = pdf_text(body(client.get(staff_pdf_url(notice))))

    assert notice.number in text
    assert case.number in text
    assert "不符合法定条件" in text  # the reasons, as the approver wrote them
    assert "2026年11月16日" in text


def test_a_supplement_notice_lists_its_materials_in_the_pdf(client, version, staff):
    case = submitted_case(version, now=at(MONDAY))
    material = version.materials.get(name="营业执照")
    notice = services.case_request_supplement(
        case=case,
        by=staff.clerk,
        items=[{"material": material.pk, "reason": "已过期"}],
        now=at(MONDAY),
    )
    client.force_login(case.applicant)

    text = pdf_text(body(client.get(applicant_pdf_url(notice))))

    assert notice.number in text
    assert "营业执照" in text and "已过期" in text


# --- stored once ----------------------------------------------------------------------------


def test_the_pdf_is_stored_with_its_sha256_when_the_notice_is_issued(
    version, staff, django_capture_on_commit_callbacks
):
    case = submitted_case(version, now=at(MONDAY))

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(
            case=case, by=staff.clerk, now=at(MONDAY), deferred_due_on=date(2100, 1, 1)
        )

    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert notice.pdf
    data = stored_bytes(notice)
    assert data.startswith(b"%PDF")
    assert notice.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_running_the_task_again_keeps_the_stored_file(acceptance):
    assert notice_pdfs_store_task([acceptance.pk]) == {"stored": 1}
    acceptance.refresh_from_db()
    first = (acceptance.pdf.name, acceptance.pdf_sha256)

    assert notice_pdfs_store_task([acceptance.pk]) == {"kept": 1}

    acceptance.refresh_from_db()
    assert (acceptance.pdf.name, acceptance.pdf_sha256) == first
    assert len(default_storage.listdir(f"notices/{acceptance.case_id}")[1]) == 1


def test_two_renders_at_once_store_one_file(acceptance):
    # Two requests read the notice before either stored its PDF; both render.
    first = Notice.objects.get(pk=acceptance.pk)
    second = Notice.objects.get(pk=acceptance.pk)

    kept = notice_pdf_store(notice=first)
    lost = notice_pdf_store(notice=second)

    assert lost.pdf.name == kept.pdf.name
    assert lost.pdf_sha256 == kept.pdf_sha256
    # The render that lost the compare-and-set leaves no file behind.
    assert default_storage.listdir(f"notices/{acceptance.case_id}")[1] == [
        kept.pdf.name.rsplit("/", 1)[1]
    ]


def test_a_first_download_stores_the_pdf_and_later_ones_return_it(client, acceptance):
    assert not acceptance.pdf
    client.force_login(acceptance.case.applicant)

    first = body(client.get(applicant_pdf_url(acceptance)))
    acceptance.refresh_from_db()
    second = body(client.get(applicant_pdf_url(acceptance)))

    assert acceptance.pdf
    assert first == second == stored_bytes(acceptance)
    assert acceptance.pdf_sha256 == hashlib.sha256(first).hexdigest()


def test_a_later_change_to_the_case_does_not_change_the_stored_pdf(client, version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    notice = notice_pdf_store(notice=case.notices.get(kind=NoticeKind.ACCEPTANCE))
    issued = stored_bytes(notice)
    # The case moves on and the department is renamed.
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="testing",
        reason="样品送检",
        expected_days=3,
        now=at(TUESDAY),
    )
    services.case_resume(case=case, by=staff.handler, now=at(FRIDAY))
    Department.objects.filter(pk=version.department_id).update(name="更名后的部门")

    notice_pdfs_store_task([notice.pk])
    client.force_login(staff.clerk)
    downloaded = body(client.get(staff_pdf_url(notice)))

    notice.refresh_from_db()
    assert downloaded == issued
    assert notice.pdf_sha256 == hashlib.sha256(issued).hexdigest()
    assert "更名后的部门" not in pdf_text(downloaded)


def test_the_back_fill_command_stores_every_missing_pdf_once(version, staff):
    with notice_pdfs_deferred():
        cases = [accepted_case(version, staff, now=at(MONDAY)) for _ in range(3)]
    already = notice_pdf_store(notice=cases[0].notices.get())
    out = StringIO()

    call_command("render_notice_pdfs", "--batch", "2", stdout=out)

    assert "2 notices" in out.getvalue()
    assert not Notice.objects.filter(pdf="").exists()
    already.refresh_from_db()
    assert already.pdf_sha256 == Notice.objects.get(pk=already.pk).pdf_sha256
    call_command("render_notice_pdfs", stdout=out)
    assert "0 notices" in out.getvalue()


def test_a_notice_issued_in_a_bulk_load_queues_no_pdf(
    version, staff, django_capture_on_commit_callbacks
):
    case = submitted_case(version, now=at(MONDAY))

    with notice_pdfs_deferred(), django_capture_on_commit_callbacks(execute=True):
        services.case_accept(
            case=case, by=staff.clerk, now=at(MONDAY), deferred_due_on=date(2100, 1, 1)
        )

    assert not case.notices.get().pdf


# --- who may download it --------------------------------------------------------------------


def test_another_applicant_gets_not_found(client, acceptance):
    client.force_login(applicant_user())

    assert client.get(applicant_pdf_url(acceptance)).status_code == 404
    acceptance.refresh_from_db()
    assert not acceptance.pdf  # nothing rendered for them either


def test_staff_of_another_department_get_not_found(client, acceptance):
    other = department_staff(item_with_procedure().department)

    for user in (other.clerk, other.approver):
        client.force_login(user)
        assert client.get(staff_pdf_url(acceptance)).status_code == 404


def test_the_applicant_cannot_use_the_workbench_address(client, acceptance):
    client.force_login(acceptance.case.applicant)

    assert client.get(staff_pdf_url(acceptance)).status_code == 404


def test_a_notice_of_another_case_is_not_found_under_this_case(client, version, staff):
    first = accepted_case(version, staff, now=at(MONDAY))
    second = accepted_case(version, staff, now=at(MONDAY)).notices.get()
    client.force_login(first.applicant)

    assert (
        client.get(reverse("applicant-notice-pdf", args=[first.pk, second.pk])).status_code == 404
    )


@pytest.mark.parametrize("url", [staff_pdf_url, applicant_pdf_url])
def test_anonymous_visitors_are_sent_to_log_in(client, acceptance, url):
    response = client.get(url(acceptance))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- where WeasyPrint or the fonts are missing ----------------------------------------------


@pytest.mark.parametrize("url", [staff_pdf_url, applicant_pdf_url])
def test_without_weasyprint_the_download_says_so_and_links_the_screen_page(
    client, acceptance, staff, no_weasyprint, url
):
    client.force_login(staff.clerk if url is staff_pdf_url else acceptance.case.applicant)
    screen = reverse(
        "workbench-notice" if url is staff_pdf_url else "applicant-notice",
        args=[acceptance.case_id, acceptance.pk],
    )

    response = client.get(url(acceptance))

    assert response.status_code == 503
    html = response.content.decode()
    assert "The PDF is unavailable for now" in html
    assert f'href="{screen}"' in html
    assert 'class="site-header' in html  # the site's design around it
    assert client.get(screen).status_code == 200  # the screen page still works
    acceptance.refresh_from_db()
    assert not acceptance.pdf


def test_without_the_cjk_fonts_the_download_says_so(client, acceptance, monkeypatch):
    monkeypatch.setattr("workflow.notice_documents.cjk_font_installed", lambda: False)
    client.force_login(acceptance.case.applicant)

    response = client.get(applicant_pdf_url(acceptance))

    assert response.status_code == 503
    assert "The PDF is unavailable for now" in response.content.decode()


def test_without_weasyprint_issuing_a_notice_still_works(
    version, staff, no_weasyprint, django_capture_on_commit_callbacks
):
    case = submitted_case(version, now=at(MONDAY))

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(
            case=case, by=staff.clerk, now=at(MONDAY), deferred_due_on=date(2100, 1, 1)
        )

    notice = case.notices.get()
    assert not notice.pdf
    assert notice_pdfs_store_task([notice.pk]) == {"unavailable": 1}


def test_without_weasyprint_the_back_fill_command_says_how_to_fix_it(acceptance, no_weasyprint):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="README"):
        call_command("render_notice_pdfs", stdout=StringIO())


def test_the_render_refuses_rather_than_guess(acceptance, no_weasyprint):
    with pytest.raises(PdfUnavailable):
        notice_pdf_store(notice=acceptance)


# --- the links ------------------------------------------------------------------------------


def test_the_screen_page_links_its_pdf(client, acceptance, staff):
    client.force_login(staff.clerk)
    staff_page = client.get(reverse("workbench-notice", args=[acceptance.case_id, acceptance.pk]))
    client.force_login(acceptance.case.applicant)
    applicant_page = client.get(
        reverse("applicant-notice", args=[acceptance.case_id, acceptance.pk])
    )

    assert f'href="{staff_pdf_url(acceptance)}"' in staff_page.content.decode()
    assert f'href="{applicant_pdf_url(acceptance)}"' in applicant_page.content.decode()
    assert "Download PDF" in applicant_page.content.decode()


def test_the_case_pages_link_each_notice_pdf(client, acceptance, staff):
    client.force_login(staff.clerk)
    workbench = client.get(reverse("workbench-case", args=[acceptance.case_id]))
    client.force_login(acceptance.case.applicant)
    mycase = client.get(reverse("portal-mycase", args=[acceptance.case_id]))

    assert f'href="{staff_pdf_url(acceptance)}"' in workbench.content.decode()
    assert f'href="{applicant_pdf_url(acceptance)}"' in mycase.content.decode()
