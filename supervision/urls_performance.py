"""Staff pages of performance: the month's report, ranking and charts."""

urlpatterns: list = []
