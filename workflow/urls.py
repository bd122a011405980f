from django.urls import path

from . import notice_views, views

urlpatterns = [
    path("", views.home, name="staff-home"),
    path(
        "cases/<int:case_id>/notices/<int:notice_id>/",
        notice_views.staff_notice,
        name="workbench-notice",
    ),
    path(
        "cases/<int:case_id>/notices/<int:notice_id>/pdf/",
        notice_views.staff_notice_pdf,
        name="workbench-notice-pdf",
    ),
    path("tasks/", views.tasks, name="workbench-tasks"),
    path("queue/", views.queue, name="workbench-queue"),
    path("queue/claim-next/", views.claim_next, name="workbench-claim-next"),
    path("counter/", views.counter, name="workbench-counter"),
    path("delivery/", views.delivery, name="workbench-delivery"),
    path("fees/", views.fees, name="workbench-fees"),
    path("prereview/", views.prereview, name="workbench-prereview"),
    path("cases/", views.case_list, name="workbench-cases"),
    path("cases/<int:pk>/", views.case_detail, name="workbench-case"),
    path("cases/<int:pk>/files/<int:file_id>/", views.case_file, name="workbench-file"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="workbench-action"),
    path("extensions/", views.extensions, name="workbench-extensions"),
    path("intake/", views.intake, name="workbench-intake"),
    path("intake/joint/", views.joint_intake, name="workbench-joint-intake"),
    path("joint/", views.joint_cases, name="workbench-joint-cases"),
    path("joint/<int:pk>/", views.joint_detail, name="workbench-joint"),
]
