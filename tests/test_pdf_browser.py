"""The browser --pdf keeps: one per process, reused, started again if it died."""

import subprocess

import pytest

from cxmodels.reporting.outputs import pdf
from system_tools import require



@pytest.fixture(autouse=True)
def printing_tools():
    """Headless Chromium prints; poppler's pdfinfo and pdfimages read the PDFs."""
    require("chromium", "pdfinfo", "pdfimages")

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


def test_an_image_cut_by_a_page_break_is_drawn_on_both_pages(tmp_path):
    """The check of tests/test_reports_printed.py can fail: a chart taller than
    the rest of its page is cut, and the PDF then draws it once on each page."""
    import base64
    import io

    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(3, 2))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    page = tmp_path / "cut.html"
    for height, drawn_on in (("100mm", [2]), ("350mm", [2, 3])):
        page.write_text(f"<html><style>@page {{ size: A4; }}</style><body>"
                        f"<div style='height: 200mm'></div>"
                        f"<img style='display: block; width: 150mm; height: {height}' "
                        f"src='{src}'><p>after the chart</p></body></html>", encoding="utf-8")
        try:
            pdf.print_pdf(page, tmp_path / "cut.pdf")
        finally:
            pdf.close_browser()
        listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "cut.pdf")], check=True,
                                 capture_output=True, text=True).stdout.splitlines()[2:]
        assert [int(line.split()[0]) for line in listing if line.strip()] == drawn_on, height
