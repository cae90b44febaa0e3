"""The browser --pdf keeps: one per process, reused, started again if it died."""

import shutil
import subprocess

import pytest

from cxmodels.reporting import pdf

pytestmark = pytest.mark.skipif(not (pdf.find_browser() and shutil.which("pdfinfo")),
                                reason="needs headless Chromium and poppler's pdfinfo")

PAGE = """<!DOCTYPE html><html><head><style>@page {{ size: A4; margin: 10mm; }}
section {{ height: 200mm; break-after: page; }}</style></head>
<body>{sections}</body></html>"""


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_one_kept_browser_prints_page_after_page_and_restarts_if_it_died(tmp_path):
    page = tmp_path / "three.html"
    page.write_text(PAGE.format(sections="<section>1</section>" * 3), encoding="utf-8")
    try:
        pdf.print_pdf(page, tmp_path / "a.pdf")
        first = pdf._kept
        pdf.print_pdf(page, tmp_path / "b.pdf")
        assert pdf._kept is first and first.alive()  # the same browser, not a new one
        assert pages(tmp_path / "a.pdf") == pages(tmp_path / "b.pdf") == 3  # A4, CSS page breaks
        first._process.kill()
        first._process.wait()
        pdf.print_pdf(page, tmp_path / "c.pdf")
        assert pdf._kept is not first and pages(tmp_path / "c.pdf") == 3
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf", "c.pdf", "three.html"]
    finally:
        pdf.close_browser()
    assert pdf._kept is None
