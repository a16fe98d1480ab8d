"""File dialogs that never open the files they list.

Qt's own file dialog (and its model, QFileSystemModel) asks an icon provider for each file's icon and
type; the default provider finds the type by reading the first bytes of the file (QMimeDatabase's
content sniffing: open, read, close). On Linux and macOS closing *any* descriptor of a file releases
every POSIX lock the process holds on it, so a dialog that merely listed the folder of the open
database dropped SQLite's locks on the database and its ``-shm``: another copy of the app, or a CLI
command, then believed nobody had the database open, checkpointed it and deleted the ``-wal`` and
``-shm`` the running app was still writing to.

Every file-picking dialog of the app goes through this module. It uses Qt's non-native dialog with an
icon provider that judges a file by its name alone (its extension's MIME type) and never by its
contents, and with custom folder icons off (they read a ``.directory``/``desktop.ini`` file). Native
dialogs cannot be held to that (GTK's chooser sniffs content in-process), so they are used on Windows
only, where SQLite's locks belong to its own file handle and no other descriptor can release them.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QFileInfo, QMimeDatabase, QMimeType, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget

__all__ = ["NameOnlyIconProvider", "file_dialog", "get_open_file_names", "get_save_file_name"]

_NO_OPTIONS = QFileDialog.Option(0)


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from a file's name and kind (file, folder, drive), never from its bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._mime = QMimeDatabase()

    def icon(self, what: QFileInfo | QFileIconProvider.IconType) -> QIcon:  # both overloads
        if not isinstance(what, QFileInfo):
            return super().icon(what)  # an IconType: the theme's generic icon, no file involved
        if what.isRoot():
            return super().icon(QFileIconProvider.IconType.Drive)
        if what.isDir():
            return super().icon(QFileIconProvider.IconType.Folder)
        themed = QIcon.fromTheme(self._by_name(what).iconName())
        return themed if not themed.isNull() else super().icon(QFileIconProvider.IconType.File)

    def type(self, info: QFileInfo) -> str:
        if info.isRoot():
            return "Drive"
        if info.isDir():
            return "Folder"
        mime = self._by_name(info)
        if not mime.isDefault():
            return mime.comment() or mime.name()
        suffix = info.suffix()
        return f"{suffix.upper()} File" if suffix else "File"

    def _by_name(self, info: QFileInfo) -> QMimeType:
        # MatchExtension looks at the name only; the default mode opens the file to read its first bytes.
        return self._mime.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)


_provider: NameOnlyIconProvider | None = None


def _icon_provider() -> NameOnlyIconProvider:
    # One for the whole app: a QFileIconProvider is not a QObject, and the dialog does not own it.
    global _provider  # noqa: PLW0603 - one for the whole app, made on first use
    if _provider is None:
        _provider = NameOnlyIconProvider()
    return _provider


def file_dialog(parent: QWidget | None, caption: str, directory: str = "", filter: str = "",
                options: QFileDialog.Option = _NO_OPTIONS, *, save: bool = False) -> QFileDialog:
    """A file dialog (to save one file, or to open existing ones) that lists ``directory`` (a folder, or
    a file to preselect) without opening its files. Not shown yet: ``exec()`` or ``open()`` it.

    The options and icon provider are in place before the dialog is pointed at the folder: even the
    first listing goes through the provider."""
    native = sys.platform == "win32"
    if not native:
        options |= QFileDialog.Option.DontUseNativeDialog
    # Made with native dialogs off for the application: otherwise the constructor already sets up the
    # platform's dialog (e.g. GTK's, which reads files to sniff their types) before any option is set.
    was_off = QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, not native or was_off)
    try:
        dialog = QFileDialog(parent, caption)
    finally:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, was_off)
    dialog.setOptions(options | QFileDialog.Option.DontUseCustomDirectoryIcons)
    dialog.setIconProvider(_icon_provider())
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFiles)
    if filter:
        dialog.setNameFilter(filter)
    if directory:
        info = QFileInfo(directory)
        if info.isDir():
            dialog.setDirectory(info.absoluteFilePath())
        else:
            dialog.setDirectory(info.absolutePath())
            dialog.selectFile(info.fileName())
    return dialog


def get_save_file_name(parent: QWidget | None, caption: str, directory: str = "", filter: str = "",
                       options: QFileDialog.Option = _NO_OPTIONS) -> tuple[str, str]:
    """Like ``QFileDialog.getSaveFileName``: the chosen path ("" if cancelled) and name filter."""
    dialog = file_dialog(parent, caption, directory, filter, options, save=True)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return "", ""
        return dialog.selectedFiles()[0], dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


def get_open_file_names(parent: QWidget | None, caption: str, directory: str = "", filter: str = "",
                        options: QFileDialog.Option = _NO_OPTIONS) -> tuple[list[str], str]:
    """Like ``QFileDialog.getOpenFileNames``: the chosen existing files ([] if cancelled) and name filter."""
    dialog = file_dialog(parent, caption, directory, filter, options)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return [], ""
        return dialog.selectedFiles(), dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()
