"""Which URL patterns are ours, found by walking ``get_resolver()`` recursively.

A pattern is ours when:

1. the view (its class, for class-based views) is defined in one of our apps: an installed app
   whose code lives in this repository rather than in site-packages (``learning_platform``,
   ``courses``, ``accreditation``, ``content``, ``notifications``, ...); or
2. the pattern is written directly in one of our URLconf modules (so a library view we mount at
   an address of our own, such as the admin login redirects or the password change, counts); or
3. the pattern belongs to a Wagtail admin viewset whose class is defined in one of our apps
   (the generic Wagtail views behind our admin screens).

Everything else is a library's own screen and is skipped: the Wagtail admin's internals, the
Django admin, allauth, Wagtail documents and page serving, static files. The Wagtail pages our
apps define (course and module pages) are covered by the course access table.
"""

from types import ModuleType

from django.urls import URLPattern, URLResolver, get_resolver

from learning_platform.security import first_party_packages, view_module


def _module_name(urlconf) -> str:
    # A list of patterns (the Django admin's, a viewset's) is not a module anyone wrote them in.
    if isinstance(urlconf, ModuleType):
        return urlconf.__name__
    return urlconf if isinstance(urlconf, str) else ""


def _admin_viewset_modules() -> dict[str, str]:
    from wagtail.admin.viewsets import viewsets

    get_resolver().url_patterns  # noqa: B018 (registers the admin viewsets)
    return {
        viewset.url_namespace: type(viewset).__module__
        for viewset in viewsets.viewsets
        if getattr(viewset, "name", None)
    }


def walk_patterns():
    """Yield (name, route, view module, URLconf module, top namespace) for every pattern."""

    def walk(patterns, prefix, namespace, urlconf, top):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                module = _module_name(pattern.urlconf_name)
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    inner,
                    module,
                    top or pattern.namespace,
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                route = prefix + str(pattern.pattern)
                yield name, route, view_module(pattern.callback), urlconf, top

    resolver = get_resolver()
    yield from walk(resolver.url_patterns, "", "", _module_name(resolver.urlconf_name), None)


def first_party_patterns() -> dict[str, str]:
    """{URL name (or route, if unnamed): route} for every pattern the rule above calls ours."""
    ours = first_party_packages()
    viewsets = _admin_viewset_modules()
    found = {}
    for name, route, module, urlconf, namespace in walk_patterns():
        if (
            module.startswith(ours)
            or urlconf.startswith(ours)
            or viewsets.get(namespace, "").startswith(ours)
        ):
            found[name or route] = route
    return found
