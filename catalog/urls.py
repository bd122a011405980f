from django.urls import path

from . import views

urlpatterns = [
    path("items/<str:code>/sheet/", views.item_sheet, name="item-sheet"),
    path("materials/<int:pk>/<str:kind>/", views.material_file, name="material-file"),
]
