"""The rating of a case in the online hall: my cases, the link of the completion message."""

urlpatterns: list = []
