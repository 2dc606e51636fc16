"""Following every first-party link from the home page, as one client, breadth first.

Used by the link check (test_link_crawl.py) and by the check that every form answers in the
site's error pattern (test_form_error_pages.py).
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

# Not crawled: the admin (see above), static and uploaded files, and sign-out.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/accounts/logout/")
# Listing pages link to their own filtered and paged variants; a few of each are enough.
MAX_VARIANTS_PER_PATH = 3
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site, mailto:, tel:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def crawl(client: Client) -> tuple[set[str], list[str]]:
    """Follow every first-party link from the home page; return the pages seen and the
    broken links, each as "status path (linked from referrer)"."""
    queue = deque([("/", "(start)")])
    seen: set[str] = {"/"}
    variants: dict[str, int] = {}
    broken = []
    while queue and len(seen) <= MAX_PAGES:
        path, referrer = queue.popleft()
        response = client.get(path)
        if response.status_code >= 400:
            broken.append(f"{response.status_code} {path} (linked from {referrer})")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [response["Location"]]
        elif "text/html" in response.get("Content-Type", ""):
            targets = _links(path, response.content.decode())
        else:
            continue  # a download, a calendar feed
        for target in targets:
            url, _fragment = urldefrag(urljoin(path, target))
            parts = urlsplit(url)
            if parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target.startswith(SKIPPED_PREFIXES):
                continue
            if parts.query:
                variants[parts.path] = variants.get(parts.path, 0) + 1
                if variants[parts.path] > MAX_VARIANTS_PER_PATH:
                    continue
            seen.add(target)
            queue.append((target, path))
    return seen, broken
