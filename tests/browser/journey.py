"""Driving a page as a person would: with the mouse, or with the keyboard only.

`Ui(page, mode)` offers the few things a journey does to a page (follow, type, tick, choose,
pick a file) in either mode. In keyboard mode nothing is clicked: focus moves with Tab and
Shift+Tab (starting with the skip link, as a keyboard user would), links and buttons are
pressed with Enter, boxes ticked with Space, radios chosen with the arrow keys and text typed.
Anything else (`get_by_role`, `goto`, `expect_download`...) is the page's own.
"""

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from learning_platform.accounts.management.commands.demo_totp import current_code
from tests.factories import PASSWORD

MODES = ("mouse", "keyboard")
TAB_LIMIT = 120

_IS_FOCUSED = """el => {
    const active = document.activeElement;
    if (el.type === "radio") {
        return !!active && active.type === "radio" && active.name === el.name
            && active.form === el.form;
    }
    return el === active;
}"""
_FOCUS_IS_BEFORE = """el => {
    const active = document.activeElement;
    if (!active || active === document.body) return true;
    return !!(active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""
_DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "nothing";
    const name = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "");
    return `<${el.tagName.toLowerCase()}> “${name.trim().slice(0, 60)}”`;
}"""
_RADIO_GROUP_SIZE = """el => document.querySelectorAll(
    `input[type="radio"][name="${CSS.escape(el.name)}"]`).length"""
_DATE_PART_ORDER = """() => new Intl.DateTimeFormat(navigator.language)
    .formatToParts(new Date(2000, 10, 22))
    .map(part => part.type)
    .filter(type => ["year", "month", "day"].includes(type))"""
_AT_DOCUMENT_START = "() => !document.activeElement || document.activeElement === document.body"
_SKIP_LINK = re.compile(r"^skip to (the )?main content$", re.IGNORECASE)


class Ui:
    def __init__(self, page, mode: str):
        assert mode in MODES, mode
        self.page = page
        self.mode = mode

    def __getattr__(self, name):
        return getattr(self.page, name)

    @property
    def keyboard_only(self) -> bool:
        return self.mode == "keyboard"

    # Moving focus -----------------------------------------------------------------------

    def tab_to(self, target) -> None:
        """Press Tab (or Shift+Tab) until `target` has focus; fail clearly if it never does."""
        target.wait_for(state="attached")
        if target.evaluate(_IS_FOCUSED):
            return
        self._skip_to_main_content(target)
        key = "Tab" if target.evaluate(_FOCUS_IS_BEFORE) else "Shift+Tab"
        for _ in range(TAB_LIMIT):
            self.page.keyboard.press(key)
            if target.evaluate(_IS_FOCUSED):
                return
        focused = self.page.evaluate(_DESCRIBE_FOCUS)
        raise AssertionError(
            f"{key} pressed {TAB_LIMIT} times never reached {target} on {self.page.url} "
            f"(focus is on {focused}): is it focusable, and in a sensible tab order?"
        )

    def _skip_to_main_content(self, target) -> None:
        # From the top of a page, a keyboard user takes the skip link into the main content.
        if not self.page.evaluate(_AT_DOCUMENT_START):
            return
        if not target.evaluate("el => !!el.closest('main')"):
            return
        self.page.keyboard.press("Tab")
        label = self.page.evaluate("() => document.activeElement.innerText || ''").strip()
        if _SKIP_LINK.match(label):
            self.page.keyboard.press("Enter")

    # Actions ----------------------------------------------------------------------------

    def click(self, target) -> None:
        """Follow a link or press a button."""
        if not self.keyboard_only:
            target.click()
            return
        self.tab_to(target)
        self.page.keyboard.press("Enter")

    def fill(self, target, text: str) -> None:
        if not self.keyboard_only:
            target.fill(text)
            return
        self.tab_to(target)
        if target.get_attribute("type") == "date":
            self._type_date(target, text)
            return
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def _type_date(self, target, iso_date: str) -> None:
        # A date field takes its parts as digits, in the browser's own order (11/24/2026 in
        # en-US), moving to the next part by itself.
        year, month, day = iso_date.split("-")
        parts = {"year": year, "month": month, "day": day}
        for part in self.page.evaluate(_DATE_PART_ORDER):
            self.page.keyboard.type(parts[part])
        assert target.input_value() == iso_date, f"{target} holds {target.input_value()!r}"

    def check(self, target) -> None:
        """Tick a checkbox, or choose a radio button."""
        if not self.keyboard_only:
            target.check()
            return
        self.tab_to(target)
        if target.get_attribute("type") == "radio":
            for _ in range(target.evaluate(_RADIO_GROUP_SIZE)):
                if target.evaluate("el => el === document.activeElement"):
                    break
                self.page.keyboard.press("ArrowDown")
        if not target.is_checked():
            self.page.keyboard.press("Space")
        assert target.is_checked(), f"{target} is not ticked after Space"

    def select(self, target, label: str) -> None:
        """Choose an option of a <select> by its visible text."""
        if not self.keyboard_only:
            target.select_option(label=label)
            return
        self.tab_to(target)
        options = target.evaluate("el => Array.from(el.options, o => o.label)")
        assert label in options, f"{label!r} is not one of {options}"
        current = target.evaluate("el => el.selectedIndex")
        wanted = options.index(label)
        key = "ArrowDown" if wanted > current else "ArrowUp"
        for _ in range(abs(wanted - current)):
            self.page.keyboard.press(key)
        assert target.evaluate("el => el.selectedOptions[0].label") == label

    def upload(self, target, files) -> None:
        """Pick a file: with the keyboard, Space on the file field opens the chooser."""
        if not self.keyboard_only:
            target.set_input_files(files)
            return
        self.tab_to(target)
        # Headless Chromium now and then lets a Space on a focused file field pass without
        # opening the chooser (about one press in six, seen on a bare page too); a person would
        # press again, and so does this, a bounded number of times.
        for attempt in range(1, 4):
            try:
                with self.page.expect_file_chooser(timeout=3_000) as chooser:
                    self.page.keyboard.press("Space")
            except PlaywrightTimeoutError:
                if attempt == 3:
                    raise
                continue
            chooser.value.set_files(files)
            return


# Signing in -----------------------------------------------------------------------------------


def totp_secret(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def sign_in(ui: Ui, user, *, next_url: str = "/accounts/profile/") -> None:
    """Through the real sign-in page; staff then give a code from their authenticator app."""
    ui.goto(f"/accounts/login/?next={next_url}")
    ui.fill(ui.get_by_label("Email"), user.email)
    ui.fill(ui.get_by_label("Password"), PASSWORD)
    ui.click(ui.get_by_role("button", name="Sign in"))
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        ui.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        ui.fill(ui.get_by_label("Code"), current_code(totp_secret(user)))
        ui.click(ui.get_by_role("button", name="Sign In"))
    ui.wait_for_url(re.compile(re.escape(next_url) + "$"))


# Running project code beside the browser -------------------------------------------------------


def outside_the_browser_loop(function, /, *args, **kwargs):
    """Run `function` in a thread of its own.

    Playwright's event loop runs in the test's thread, and some project code (signing a
    certificate PDF) starts an asyncio loop of its own, which cannot run inside another.
    """

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()
