"""Product photos: add, remove, reorder by drag and drop; files can be dropped in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"}
ROLE_PHOTO_ID = Qt.ItemDataRole.UserRole
ROLE_PATH = Qt.ItemDataRole.UserRole + 1


class PhotoStrip(QListWidget):
    """Each item is an existing photo (its id) or a new file (its path), in display order."""

    files_dropped = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(112, 112))
        self.setGridSize(QSize(130, 140))
        self.setMovement(QListView.Movement.Snap)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWrapping(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMinimumHeight(160)

    def add_existing(self, photo_id: int, image: Path, label: str) -> None:
        item = QListWidgetItem(self._icon(image), label)
        item.setData(ROLE_PHOTO_ID, photo_id)
        self.addItem(item)

    def add_file(self, path: Path) -> None:
        item = QListWidgetItem(self._icon(path), path.name)
        item.setData(ROLE_PATH, str(path))
        item.setToolTip(str(path))
        self.addItem(item)

    def _icon(self, path: Path) -> QIcon:
        pix = QPixmap(str(path))
        if pix.isNull():
            return QIcon()
        return QIcon(
            pix.scaled(
                112,
                112,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def entries(self) -> list[tuple[int | None, str | None]]:
        """(photo_id, None) for existing photos, (None, path) for new files, in order."""
        out = []
        for i in range(self.count()):
            item = self.item(i)
            out.append((item.data(ROLE_PHOTO_ID), item.data(ROLE_PATH)))
        return out

    def move_selected(self, step: int) -> None:
        """Keyboard reordering (Ctrl+Left / Ctrl+Right in the editor)."""
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(target, item)
        self.setCurrentRow(target)

    # external files: accept image URLs, otherwise let the list move its own items
    def dragEnterEvent(self, event) -> None:
        if _image_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if _image_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        paths = _image_paths(event.mimeData())
        if paths:
            for path in paths:
                self.add_file(path)
            self.files_dropped.emit(paths)
            event.acceptProposedAction()
        else:
            super().dropEvent(event)


def _image_paths(mime) -> list[Path]:
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES]
