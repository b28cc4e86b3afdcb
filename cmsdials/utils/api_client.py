"""Classic import path of the client base classes (aliases only)."""

from ..endpoints import BaseClient, Endpoint, ListEndpoint

#: Base of every sub-client (holds the shared transport).
BaseAPIClient = BaseClient
#: A group with a retrieve route (``get``).
BaseAuthorizedAPIClient = Endpoint
#: A group with a paginated list route.
BaseAuthorizedPaginatedAPIClient = ListEndpoint
#: The classic base of ``mes`` (a list route without pagination).
BaseAuthorizedNonPaginatedAPIClient = Endpoint

__all__ = [
    "BaseAPIClient",
    "BaseAuthorizedAPIClient",
    "BaseAuthorizedNonPaginatedAPIClient",
    "BaseAuthorizedPaginatedAPIClient",
]
