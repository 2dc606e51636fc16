import io

import pypdf

from content.demo import PUBLICATIONS
from content.models import PublicationPage


def test_it_downloads_each_publication_as_a_pdf(client, home):
    assert PublicationPage.objects.live().count() == len(PUBLICATIONS)
    for publication in PublicationPage.objects.live().select_related("document"):
        page_html = client.get(publication.url).content.decode()
        assert f'href="{publication.document.url}"' in page_html

        response = client.get(publication.document.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        content = b"".join(response.streaming_content)
        text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert f"Demo stand-in for {publication.reference or publication.title}" in text
