"""Job descriptions as hiring teams have them, written by the tests: a PDF (reportlab, as a word processor
lays one out: wrapped lines with a hanging indent, running header and footer, two pages), a Word file
(python-docx: heading and list styles), a scanned PDF (an image, no text), legacy-encoded text.

Every document holds the same role, :data:`ROLE`: requirements in three sections (one of them nice to have)
and the parts that hold none (about the company, benefits, pay, equal opportunity, how to apply).
"""

from __future__ import annotations

import io
from pathlib import Path

# (kind, text): kind is "title", "heading", "para" or "bullet".
ROLE: list[tuple[str, str]] = [
    ("title", "Senior Machine Learning Engineer, Fraud Platform"),
    ("heading", "About Us"),
    (
        "para",
        (
            "Northwind Bank serves four million customers in six countries. We are proud of our culture and of "
            "the 1,200 engineers who build our products."
        ),
    ),
    ("heading", "What you'll do"),
    (
        "bullet",
        (
            "Design, build and operate the real-time fraud scoring service that decides on every card "
            "payment within 50 milliseconds, including its rollback and shadow deployment paths"
        ),
    ),
    ("bullet", "Lead the move of batch feature pipelines to streaming, with data quality checks"),
    ("bullet", "Mentor three engineers and review their designs and code"),
    ("heading", "What you bring"),
    (
        "bullet",
        (
            "5+ years building machine learning systems in production, with Python and one of Java, Go or "
            "Scala, and a record of owning services on call"
        ),
    ),
    ("bullet", "Experience with Kubernetes, Kafka and a feature store"),
    ("bullet", "Clear written communication with product managers and risk officers"),
    ("heading", "Nice to have"),
    ("bullet", "Experience with graph features for fraud rings"),
    ("bullet", "Contributions to open-source ML tooling"),
    ("heading", "Benefits"),
    ("bullet", "Pension contributions of 10% and private health insurance for your family"),
    ("bullet", "Thirty days of paid holiday and a yearly learning budget"),
    ("heading", "Compensation"),
    ("para", "The salary range for this role is EUR 95,000 to 125,000 a year, plus a bonus."),
    ("heading", "Equal opportunity"),
    (
        "para",
        (
            "Northwind Bank is an equal opportunity employer and does not discriminate on the basis of race, "
            "religion, gender, age or disability."
        ),
    ),
    ("heading", "How to apply"),
    ("para", "Send your CV through our careers portal before 30 June."),
]

# What every format must give for ROLE: (section, priority, text).
ROLE_REQUIREMENTS = [
    ("What you'll do", "must", ROLE[4][1]),
    ("What you'll do", "must", ROLE[5][1]),
    ("What you'll do", "must", ROLE[6][1]),
    ("What you bring", "must", ROLE[8][1]),
    ("What you bring", "must", ROLE[9][1]),
    ("What you bring", "must", ROLE[10][1]),
    ("Nice to have", "nice", ROLE[12][1]),
    ("Nice to have", "nice", ROLE[13][1]),
]
ROLE_SKIPPED = ["About Us", "Benefits", "Compensation", "Equal opportunity", "How to apply"]


def role_markdown() -> str:
    marks = {"title": "# ", "heading": "## ", "para": "", "bullet": "- "}
    return "\n\n".join(marks[kind] + text for kind, text in ROLE) + "\n"


def role_pdf(*, bullet: str = "•", pages: int = 2) -> bytes:
    """ROLE as a word processor lays it out: 11-point body, bold 14-point headings, bullets with a hanging
    indent so that long ones wrap under their text, and (with ``pages`` 2) a page break inside the list,
    a running header and a page number on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=13.5, spaceAfter=8)
    item = ParagraphStyle("item", parent=body, leftIndent=18, bulletIndent=4, spaceAfter=2)
    heading = ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceBefore=10, spaceAfter=6
    )
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=12)
    story = []
    for index, (kind, text) in enumerate(ROLE):
        if kind == "bullet":
            story.append(Paragraph(text, item, bulletText=bullet))
        else:
            story.append(Paragraph(text, {"title": title, "heading": heading, "para": body}[kind]))
        if pages == 2 and index == 8:
            story.append(PageBreak())

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, "Northwind Bank - Careers - Job description")
        canvas.drawString(A4[0] / 2, 30, f"Page {doc.page} of {pages}")
        canvas.restoreState()

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Senior ML Engineer").build(
        story, onFirstPage=furniture, onLaterPages=furniture
    )
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A one-page PDF that holds only an image, as a scanner makes it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((80, 80), "Senior ML Engineer - Requirements: Python, Kubernetes", fill="black")
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=100)
    return out.getvalue()


def role_docx() -> bytes:
    """ROLE as a Word document: Title and Heading 1 styles, List Bullet paragraphs, a numbered list for one
    section (Word's toolbar numbering: List Number), and a bold line heading one part."""
    import docx

    document = docx.Document()
    for kind, text in ROLE:
        if kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "heading" and text == "How to apply":
            document.add_paragraph().add_run(text).bold = True  # a bold line, not a heading style
        elif kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Number" if "engineers" in text else "List Bullet")
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
