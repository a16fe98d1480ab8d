"""The debrief packet (a PDF of the debrief as its viewer may see it), previewed before it is saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from interviewkit.services.context import AppContext
from interviewkit.services.debrief import Debrief
from interviewkit.ui.widgets.pdf_preview import PdfOptions, PdfPreviewDialog, preview_and_save, safe_file_name

__all__ = ["preview_packet"]


def preview_packet(parent: QWidget, ctx: AppContext, d: Debrief, viewer: int, settings: QSettings) -> PdfPreviewDialog:
    """Open the packet's preview (window-modal, not blocking); its ``sig_saved`` carries the saved path."""
    # Deferred on purpose: the PDF printer (Qt's printing and the document layout) loads on the first export.
    from interviewkit.pdf.exports import export_debrief_pdf

    candidate_id, name = d.candidate_id, d.candidate

    def write(path: Path, options: PdfOptions) -> None:
        export_debrief_pdf(
            ctx.db,
            candidate_id,
            path,
            settings=ctx.settings,
            viewer_id=viewer,
            page_size=options.page_size,
            hide_names=options.hide_names,
        )

    title = f"Debrief packet · {name}"
    return preview_and_save(
        parent, title, write, suggested_name=safe_file_name(f"debrief packet {name}"), settings=settings
    )
