from rest_framework.pagination import PageNumberPagination


class HubPagination(PageNumberPagination):
    """Page-number pagination on every list; `page_size` can be raised to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
