"""The budget's public URLs, mounted by `cms.urls` under „haushalt/“ in every language."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="budget_index"),
    path("<int:year>/<slug:code>/", views.report_page, name="budget_report"),
    path("<int:year>/<slug:code>/ziele-und-kennzahlen.pdf", views.report_pdf, name="budget_report_pdf"),
    path("<int:year>/<slug:code>/ziele-und-kennzahlen.xlsx", views.report_xlsx, name="budget_report_xlsx"),
]
