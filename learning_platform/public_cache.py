"""Whole public pages for anonymous visitors, kept in the shared cache (Redis in production).

Commissioning boards, holders' employers and anyone following a certificate's QR code read the
same few pages without signing in. Those responses are the same for every anonymous visitor, so
each is rendered once and served from the cache until something it shows changes.

Each cached page belongs to a *namespace*: ``pages`` (the Wagtail site) or ``certificates``
(verification pages and the public register). A namespace has a generation number in the cache;
an entry remembers the generation it was rendered under and is served only while that is still
the current one. An event that changes what a namespace shows moves its generation on, so the
very next request renders afresh in every process that shares the cache. The generation is read
before the page is rendered and moved on again when the change commits, so a page drawn from
rows that changed meanwhile is stored under a stale generation.

Only plain anonymous requests are served or stored: no signed-in user, no session or messages
cookie, a GET for a page the view marks as public, and no query but a page number (so made-up
query strings cannot fill the cache). A response is stored only if it is a plain 200 that set
no cookie, used no CSRF token and did not ask to stay private. Entries also carry
the local date, so anything that depends on today (a certificate that expires at midnight) is
drawn again the next day.
"""

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

PAGES = "pages"
CERTIFICATES = "certificates"
NAMESPACES = (PAGES, CERTIFICATES)

_GENERATION_KEY = "public-cache:generation:{}"
_ENTRY_KEY = "public-cache:entry:{}"
_FRAGMENT_KEY = "public-cache:fragment:{}"
# The URL name Wagtail serves every site page under.
_WAGTAIL_SERVE = "wagtail_serve"
_WAGTAIL_PARAMS = frozenset({"page"})
# The only parameter a cached page takes is a page number of a listing.
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,3}")


@dataclass(frozen=True)
class PublicView:
    namespace: str
    params: frozenset[str]


def public_page(namespace: str, *, params: Iterable[str] = ()) -> Callable:
    """Mark a view's anonymous GET responses as cacheable in ``namespace``. ``params`` lists the
    query parameters it may be cached with; any other parameter bypasses the cache."""
    if namespace not in NAMESPACES:
        raise ValueError(f"Unknown public cache namespace: {namespace}")

    def decorate(view: Callable) -> Callable:
        view.public_cache = PublicView(namespace, frozenset(params))
        return view

    return decorate


def _generation_key(namespace: str) -> str:
    return _GENERATION_KEY.format(namespace)


def invalidate(*namespaces: str) -> None:
    """Move the namespaces' generations on now, and again when the current transaction commits:
    every page cached under them is then drawn afresh on its next request. The second move
    drops a page another request drew from the rows as they were before the commit."""
    for namespace in namespaces:
        if namespace not in NAMESPACES:
            raise ValueError(f"Unknown public cache namespace: {namespace}")
    _bump(namespaces)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(namespaces), robust=True)


def _bump(namespaces: Iterable[str]) -> None:
    for namespace in namespaces:
        key = _generation_key(namespace)
        try:
            cache.incr(key)
        except ValueError:
            # No generation yet, or evicted. Start from the clock rather than 1, so a generation
            # lost from the cache can never come back to match entries drawn under an old one.
            cache.set(key, time.time_ns(), timeout=None)


def _current_generation(namespace: str) -> int:
    key = _generation_key(namespace)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, time.time_ns(), timeout=None)
        generation = cache.get(key)
    return generation


def fragment(namespace: str, name: str, build: Callable[[], object]) -> object:
    """A piece of a page kept in the shared cache under ``namespace`` (the menu every page
    shows, say): built by ``build`` when missing or drawn under an older generation. ``name``
    must say everything the piece depends on besides the namespace's rows."""
    key = _FRAGMENT_KEY.format(hashlib.sha256(f"{namespace}|{name}".encode()).hexdigest())
    found = cache.get_many([key, _generation_key(namespace)])
    generation = found.get(_generation_key(namespace))
    if generation is None:
        generation = _current_generation(namespace)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = build()
    cache.set(key, (generation, value), timeout=settings.PUBLIC_CACHE_SECONDS or 60)
    return value


def _view_spec(request: HttpRequest, view_func) -> PublicView | None:
    spec = getattr(view_func, "public_cache", None)
    if spec is not None:
        return spec
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == _WAGTAIL_SERVE:
        return PublicView(PAGES, _WAGTAIL_PARAMS)
    return None


def _known_query(request: HttpRequest, spec: PublicView) -> bool:
    """Only the view's own parameters, each once, with a value a real link would carry (a page
    number): otherwise every made-up value would be drawn and kept as a page of its own."""
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in spec.params or len(values) != 1 or not _PAGE_NUMBER.fullmatch(values[0]):
            return False
    return True


def _anonymous(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _entry_key(request: HttpRequest, namespace: str) -> str:
    query = "&".join(sorted(f"{k}={v}" for k, v in request.GET.items()))
    raw = f"{namespace}|{request.get_host()}|{request.path}|{query}|{timezone.localdate()}"
    return _ENTRY_KEY.format(hashlib.sha256(raw.encode()).hexdigest())


@dataclass(frozen=True)
class _Pending:
    key: str
    namespace: str
    generation: int


class AnonymousPublicCacheMiddleware:
    """Serve and store anonymous visitors' public pages (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending = getattr(request, "_public_cache_pending", None)
        if pending is not None and self._storable(request, response):
            cache.set(
                pending.key,
                (
                    pending.generation,
                    response.status_code,
                    bytes(response.content),
                    list(response.items()),
                ),
                timeout=settings.PUBLIC_CACHE_SECONDS,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.PUBLIC_CACHE_SECONDS or request.method != "GET":
            return None
        spec = _view_spec(request, view_func)
        if spec is None or not _known_query(request, spec) or not _anonymous(request):
            return None
        key = _entry_key(request, spec.namespace)
        found = cache.get_many([key, _generation_key(spec.namespace)])
        generation = found.get(_generation_key(spec.namespace))
        if generation is None:
            generation = _current_generation(spec.namespace)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            _, status, content, headers = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        request._public_cache_pending = _Pending(key, spec.namespace, generation)
        return None

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        # A page with an inline script carries this request's CSP nonce, which a later
        # request's header would not allow.
        if isinstance(getattr(request, "_csp_nonce", None), str):
            return False
        # "no-cache" (the verification page's) speaks to browsers, which must ask again each
        # time; this copy is dropped the moment the page would change, so it may be kept.
        cache_control = response.get("Cache-Control", "")
        return "private" not in cache_control and "no-store" not in cache_control
