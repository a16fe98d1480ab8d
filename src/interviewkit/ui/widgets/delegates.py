"""A two-line row for the Loops lists: a bold first line with a figure at its right, quieter lines below."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from interviewkit.ui.widgets.roles import StateRole, SubtitleRole, TrailingRole
from interviewkit.ui.widgets.theme import state_colours

__all__ = ["CardDelegate", "CheckDelegate", "WrapDelegate"]

PAD_X, PAD_Y, GAP, ICON = 8, 6, 2, 16


class CardDelegate(QStyledItemDelegate):
    """Paints DisplayRole in bold, SubtitleRole's lines below it and TrailingRole at the right."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setWeight(QFont.Weight.DemiBold)
        return title, QFont(option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802 - Qt override
        title, body = self._fonts(option)
        lines = str(index.data(SubtitleRole) or "").count("\n") + 1 if index.data(SubtitleRole) else 0
        height = QFontMetrics(title).height() + lines * (QFontMetrics(body).height() + GAP) + 2 * PAD_Y
        # At least 160 px; the list stretches a card to its column. (The width the item had when asked was
        # kept while the column narrowed, by a scroll bar appearing: cards 14 px wider than the list, scrolling.)
        return QSize(160, height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        # background, selection and focus come from the style, so every theme draws them its own way
        opt.text = ""
        opt.icon = QIcon()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled else QPalette.ColorGroup.Disabled
        )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = opt.palette.color(group, text_role)
        subtle = QColor(text_colour) if selected else opt.palette.color(group, QPalette.ColorRole.PlaceholderText)
        state = str(index.data(StateRole) or "")
        state_colour = QColor(state_colours().get(state, "")) if state and not selected else QColor(text_colour)

        title_font, body_font = self._fonts(opt)
        title_fm, body_fm = QFontMetrics(title_font), QFontMetrics(body_font)
        rect = opt.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        painter.save()
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        trailing = str(index.data(TrailingRole) or "")
        top_line = QRect(rect.left(), rect.top(), rect.width(), title_fm.height())
        if trailing:
            painter.setFont(title_font if state in ("warning", "danger") else body_font)
            width = painter.fontMetrics().horizontalAdvance(trailing) + 4
            painter.setPen(state_colour if state in ("warning", "danger") else subtle)
            painter.drawText(top_line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), trailing)
            top_line.setRight(top_line.right() - width - 6)
            if icon is not None and not icon.isNull():
                icon_rect = QRect(
                    top_line.right() - ICON + 2, top_line.top() + (top_line.height() - ICON) // 2, ICON, ICON
                )
                icon.paint(painter, icon_rect)
                top_line.setRight(icon_rect.left() - 4)
        elif icon is not None and not icon.isNull():
            icon_rect = QRect(top_line.left(), top_line.top() + (top_line.height() - ICON) // 2, ICON, ICON)
            icon.paint(painter, icon_rect)
            top_line.setLeft(icon_rect.right() + 6)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title = title_fm.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""), Qt.TextElideMode.ElideRight, top_line.width()
        )
        painter.drawText(top_line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
        subtitle = str(index.data(SubtitleRole) or "")
        if subtitle:
            painter.setFont(body_font)
            painter.setPen(subtle)
            y = top_line.bottom() + 1 + GAP
            for line in subtitle.split("\n"):
                line_rect = QRect(rect.left(), y, rect.width(), body_fm.height())
                text = body_fm.elidedText(line, Qt.TextElideMode.ElideRight, line_rect.width())
                painter.drawText(line_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
                y += body_fm.height() + GAP
        # a hairline between rows, so two-line rows read as separate items
        painter.setPen(opt.palette.color(QPalette.ColorRole.Mid))
        painter.setOpacity(0.5)
        painter.drawLine(opt.rect.left(), opt.rect.bottom(), opt.rect.right(), opt.rect.bottom())
        painter.restore()


class WrapDelegate(QStyledItemDelegate):
    """Plain text that wraps to the view's width (requirement texts are sentences), with an optional icon."""

    def _text_rect_width(self, option: QStyleOptionViewItem, has_icon: bool) -> int:
        widget = option.widget
        if not isinstance(widget, QAbstractScrollArea):  # no scrolling view to measure
            return max(option.rect.width() - 2 * PAD_X, 60)
        # the width the text gets once a vertical scroll bar shows, so rows never come out too short
        width = widget.width() - 2 * widget.frameWidth()
        if widget.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            width -= int(widget.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, widget))
        return max(width - 2 * PAD_X - (ICON + 6 if has_icon else 0), 60)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802 - Qt override
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        width = self._text_rect_width(option, icon is not None)
        fm = QFontMetrics(option.font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bounds = fm.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, max(bounds.height(), ICON) + 2 * 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        opt.icon = QIcon()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        rect = opt.rect.adjusted(PAD_X, 4, -PAD_X, -4)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None and not icon.isNull():
            icon.paint(painter, QRect(rect.left(), rect.top(), ICON, ICON))
            rect.setLeft(rect.left() + ICON + 6)
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.drawText(
            rect,
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
        )
        painter.restore()


class CheckDelegate(QStyledItemDelegate):
    """A check-box row whose box always has a visible edge (a dark base can swallow the style's own)."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if not opt.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            return
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, widget)
        side = min(box.width(), box.height(), 14)
        square = QRect(0, 0, side, side)
        square.moveCenter(box.center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setBrush(QBrush())  # an empty brush: outline only
        painter.drawRoundedRect(square.adjusted(0, 0, -1, -1), 2, 2)
        painter.restore()
