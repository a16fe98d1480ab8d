"""PDF files: a scorecard, a candidate's debrief packet, a stage's interview kit and the calibration report.

Each export asks the services for its document (the same visibility rules as in the app: a debrief packet
holds only what its viewer may see), prints it, and writes the file whole or not at all
(:func:`~interviewkit.services.exports.write_whole`); a path that cannot be written is reported before any
work is done. The command line and the app's Export PDF… call these.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from interviewkit.bank.model import BankSettings
from interviewkit.services.access import Actor
from interviewkit.services.exports import (
    ExportFailed,
    ExportResult,
    check_target,
    debrief_document,
    kit_document,
    pdf_options,
    scorecard_document,
    write_whole,
)
from interviewkit.storage.db import Database

# Qt (the printers, pdf.fonts) is imported only inside each export, after the services and the database layer,
# and after the document is made (the services a document needs load while it is made): once PySide6 is loaded
# it reads the source of every module imported after it (looking for __feature__), which cost about 0.1-0.2 s
# per export when the database layer came second, and 45-52 source files a scorecard, debrief or kit export.
if TYPE_CHECKING:  # each document's printer loads for its own export; the calibration report's statistics
    # (scipy) only for the calibration PDF
    from interviewkit.pdf.pages import RenderResult
    from interviewkit.services.calibration_report import CalibrationFilters
    from interviewkit.services.documents import PdfOptions

__all__ = ["export_calibration_pdf", "export_debrief_pdf", "export_kit_pdf", "export_scorecard_pdf"]

D = TypeVar("D")


def _printed(printer: Callable[[D, PdfOptions], RenderResult], doc: D, options: PdfOptions) -> RenderResult:
    """Print a document; Qt failing to start the PDF writer becomes an ExportFailed."""
    try:
        return printer(doc, options)
    except RuntimeError as exc:
        raise ExportFailed(f"the PDF could not be printed: {exc}") from None


def _font_warning(result: RenderResult) -> str:
    """The warning of a PDF whose names hold a script no installed font can draw (pdf.fonts), else ""."""
    from interviewkit.pdf.fonts import font_warning

    return font_warning(result.missing_scripts)


def export_scorecard_pdf(
    db: Database,
    scorecard_id: int,
    path: Path | str,
    *,
    settings: BankSettings,
    viewer_id: Actor,
    page_size: str = "A4",
    hide_names: bool = False,
) -> ExportResult:
    """Write one scorecard as a PDF, if ``viewer_id`` may read it."""
    options = pdf_options(page_size, hide_names)
    target = check_target(path)
    doc = scorecard_document(db, scorecard_id, settings=settings, viewer_id=viewer_id)
    from interviewkit.pdf.scorecard import scorecard_pdf  # Qt after the services the document needs (see above)

    result = _printed(scorecard_pdf, doc, options)
    write_whole(target, result.data)
    return ExportResult(target, result.pages, warning=_font_warning(result))


def export_debrief_pdf(
    db: Database,
    candidate_id: int,
    path: Path | str,
    *,
    settings: BankSettings,
    viewer_id: Actor,
    page_size: str = "A4",
    hide_names: bool = False,
) -> ExportResult:
    """Write a candidate's debrief packet as ``viewer_id`` may see it: grid, disagreements, decision,
    requirement coverage and every visible scorecard."""
    options = pdf_options(page_size, hide_names)
    target = check_target(path)
    doc = debrief_document(db, candidate_id, settings=settings, viewer_id=viewer_id)
    from interviewkit.pdf.debrief import debrief_pdf  # Qt after the services the document needs (see above)

    result = _printed(debrief_pdf, doc, options)
    write_whole(target, result.data)
    note = f"{doc.hidden_count} submitted scorecard(s) left out: {doc.why_hidden}" if doc.hidden_count else ""
    return ExportResult(target, result.pages, note, _font_warning(result))


def export_kit_pdf(
    db: Database,
    stage_id: int,
    path: Path | str,
    *,
    settings: BankSettings,
    by: Actor,
    page_size: str = "A4",
    hide_names: bool = False,
) -> ExportResult:
    """Write the interview kit of a stage: the plan, the focus competencies, each question with its probes,
    rubric and red flags, and ruled space for handwritten notes."""
    options = pdf_options(page_size, hide_names)
    target = check_target(path)
    doc = kit_document(db, stage_id, settings=settings, by=by)
    from interviewkit.pdf.kit import kit_pdf  # Qt after the services the document needs (see above)

    result = _printed(kit_pdf, doc, options)
    write_whole(target, result.data)
    return ExportResult(target, result.pages, warning=_font_warning(result))


def export_calibration_pdf(
    db: Database,
    path: Path | str,
    *,
    settings: BankSettings,
    filters: CalibrationFilters | None = None,
    opening_id: int | None = None,
    page_size: str = "A4",
    hide_names: bool = False,
    viewer: Actor,
) -> ExportResult:
    """Write the calibration report as a PDF: leniency (forest plot and table), agreement per competency
    with Koo & Li bands, rating distributions, drift and question analytics. ``filters`` or just
    ``opening_id`` choose the scorecards; with too little data the PDF says what is missing. ``viewer`` is
    who the report is printed for: an interviewer's copy holds only their own leniency, distribution and
    drift."""
    from interviewkit.services.calibration_report import CalibrationFilters, calibration_report

    options = pdf_options(page_size, hide_names)
    target = check_target(path)
    report = calibration_report(db, settings, filters or CalibrationFilters(opening_id=opening_id), viewer=viewer)
    from interviewkit.pdf.calibration import calibration_pdf  # Qt after the statistics (see above)

    result = _printed(calibration_pdf, report, options)
    write_whole(target, result.data)
    return ExportResult(target, result.pages, "" if report.enough else report.why_not, _font_warning(result))
