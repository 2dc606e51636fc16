"""Every page type routes and renders, and can be created only where it belongs, checked with
Wagtail's own page test helpers on the demo site."""

import io

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from content.demo import seed_site
from content.models import (
    EnquiryFormPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProgrammePhasePage,
    PublicationIndexPage,
    PublicationPage,
    StandardPage,
)
from courses.demo import seed_courses
from courses.models import CourseIndexPage, CoursePage, ModulePage
from learning_platform.accounts.demo import seed_demo_users

PAGE_TYPES = (
    HomePage,
    StandardPage,
    ProgrammePhasePage,
    PublicationIndexPage,
    PublicationPage,
    NewsIndexPage,
    NewsPage,
    EnquiryFormPage,
    CourseIndexPage,
    CoursePage,
    ModulePage,
)


class PageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        users = seed_demo_users(stdout=out)
        seed_site(stdout=out)
        seed_courses(stdout=out, users=users)

    def test_it_routes_and_renders_a_live_page_of_every_type(self):
        for model in PAGE_TYPES:
            with self.subTest(page_type=model.__name__):
                page = model.objects.live().first()
                self.assertIsNotNone(page, f"The demo site has no live {model.__name__}.")
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_it_allows_each_page_type_only_where_it_belongs(self):
        self.assertAllowedParentPageTypes(PublicationPage, {PublicationIndexPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(PublicationIndexPage, {PublicationPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, PublicationPage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
