"""Supervision pages: urge notices (督办单) and corrections (纠错 / 问责)."""

from django.urls import path

from . import correction_views, urge_views

urlpatterns = [
    path("urges/", urge_views.urge_list, name="supervision-urges"),
    path("urges/new/", urge_views.urge_new, name="supervision-urge-new"),
    path("urges/<int:pk>/", urge_views.urge_detail, name="supervision-urge"),
    path("urges/<int:pk>/answer/", urge_views.urge_answer_view, name="supervision-urge-answer"),
    path("urges/<int:pk>/close/", urge_views.urge_close_view, name="supervision-urge-close"),
    path(
        "alerts/<int:pk>/correct/",
        correction_views.alert_correct,
        name="supervision-alert-correct",
    ),
    path("corrections/", correction_views.correction_list, name="supervision-corrections"),
    path(
        "corrections/<int:pk>/", correction_views.correction_detail, name="supervision-correction"
    ),
    path(
        "corrections/<int:pk>/appeal/",
        correction_views.correction_appeal_view,
        name="supervision-correction-appeal",
    ),
    path(
        "corrections/<int:pk>/review/",
        correction_views.correction_review_view,
        name="supervision-correction-review",
    ),
]
