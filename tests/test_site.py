"""The site stage's own touches to what MkDocs built."""

from __future__ import annotations

import gzip
from pathlib import Path

from handbook.site import drop_epoch_dates

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url>
         <loc>https://example.org/</loc>
         <lastmod>{date}</lastmod>
    </url>
</urlset>
"""


def test_the_sitemap_gives_no_date_when_the_build_was_given_none(tmp_path: Path):
    (tmp_path / "sitemap.xml").write_text(SITEMAP.format(date="1970-01-01"), encoding="utf-8")
    drop_epoch_dates(tmp_path)
    expected = SITEMAP.replace("\n         <lastmod>{date}</lastmod>", "")
    assert (tmp_path / "sitemap.xml").read_text(encoding="utf-8") == expected
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode("utf-8") == expected
    first = (tmp_path / "sitemap.xml.gz").read_bytes()
    (tmp_path / "sitemap.xml").write_text(SITEMAP.format(date="1970-01-01"), encoding="utf-8")
    drop_epoch_dates(tmp_path)
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == first  # the same bytes every build


def test_a_real_date_stays(tmp_path: Path):
    (tmp_path / "sitemap.xml").write_text(SITEMAP.format(date="2026-12-06"), encoding="utf-8")
    drop_epoch_dates(tmp_path)
    assert "<lastmod>2026-12-06</lastmod>" in (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert not (tmp_path / "sitemap.xml.gz").exists()
