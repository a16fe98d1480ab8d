"""Build InterviewKit as a standalone app for this platform: a folder that runs without Python, and its archive.

    python -m pip install -e ".[build]"      # PyInstaller, once
    python scripts/build_app.py              # -> dist/InterviewKit-<version>-<platform>.tar.gz (.zip on Windows)

Steps: icons at the usual sizes from resources/icons/interviewkit.svg (Qt's SVG renderer, offscreen), the
one-folder app by PyInstaller from packaging/interviewkit.spec, the Linux desktop entry, AppStream metadata
and the per-user installer beside the executable, then the archive. It ends with the sizes: the folder, the
archive, and what takes the space. docs/install.md describes the result.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "org.interviewkit.InterviewKit"  # the desktop entry's, the icons' and the AppStream component's name
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


class BuildError(Exception):
    """A reason the build cannot go on, for the person who runs it."""


def version() -> str:
    """The version in src/interviewkit/__init__.py (read, not imported)."""
    text = (ROOT / "src" / "interviewkit" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise BuildError("no __version__ in src/interviewkit/__init__.py")
    return found.group(1)


def platform_tag() -> str:
    """linux-x86_64, macos-arm64, windows-amd64, ...: the system and the processor the build runs on."""
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return f"{system}-{platform.machine().lower() or 'unknown'}"


def make_icons(out: Path) -> Path:
    """PNG icons in a hicolor tree (``out/hicolor/NxN/apps/APP_ID.png``, and the SVG as scalable), drawn from
    resources/icons/interviewkit.svg; returns the icon for the executable (.ico on Windows, .icns on macOS,
    else the 256 px PNG)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    svg = ROOT / "resources" / "icons" / "interviewkit.svg"
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise BuildError(f"{svg} is not an SVG image Qt can draw")
    images = {}
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target)):
            raise BuildError(f"cannot write {target}")
        images[size] = image
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    for fmt in {"win32": ["ico"], "darwin": ["icns"]}.get(sys.platform, []):
        target = out / f"interviewkit.{fmt}"
        if images[256].save(str(target)):
            return target
    return out / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"


def freeze(build: Path, icon: Path) -> Path:
    """Run PyInstaller on packaging/interviewkit.spec; returns the app folder."""
    try:
        import PyInstaller  # noqa: F401  (only to say how to get it)
    except ImportError:
        raise BuildError('PyInstaller is not installed: run  python -m pip install -e ".[build]"') from None
    env = dict(os.environ, INTERVIEWKIT_BUILD_ICON=str(icon) if icon.suffix in (".ico", ".icns") else "")
    # The package is imported from this tree's src/ by the analysis and its subprocesses alike (not from an
    # install elsewhere that the environment may point to).
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(build / "dist"), "--workpath", str(build / "work"), str(PACKAGING / "interviewkit.spec"),
    ]
    if subprocess.run(command, check=False, cwd=ROOT, env=env).returncode != 0:
        raise BuildError("PyInstaller failed (its messages are above)")
    return build / "dist" / "InterviewKit"


def strip_debug_info(app: Path) -> int:
    """Linux: remove the debug sections of the bundled programs and libraries (a Python built from source
    keeps them: Python's own files shrink from 23 to 7 MiB); returns the bytes saved. Not the libraries in
    ``*.libs`` folders, which auditwheel relocated with patchelf: strip breaks them (OpenBLAS then fails to
    load with "ELF load command address/offset not page-aligned"), as PyInstaller's own strip option does."""
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        return 0
    before = _size(app)
    files = [p for p in app.rglob("*") if p.is_file() and not p.is_symlink()
             and not any(part.endswith(".libs") for part in p.relative_to(app).parts)]
    elf = [p for p in files if p.open("rb").read(4) == b"\x7fELF"]
    for start in range(0, len(elf), 200):
        subprocess.run([strip, "--strip-unneeded", *map(str, elf[start:start + 200])], check=True)
    return before - _size(app)


def add_desktop_files(app: Path, icons: Path) -> None:
    """The Linux desktop entry, the icons, the AppStream metadata and the per-user installer, beside the
    executable (share/ follows the layout of /usr/share, so the installer copies them as they are)."""
    share = app / "share"
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor", dirs_exist_ok=True)
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGING / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    metainfo = (PACKAGING / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    installer = app / "install-desktop-entry.sh"
    shutil.copyfile(PACKAGING / "install-desktop-entry.sh", installer)
    installer.chmod(0o755)
    shutil.copyfile(ROOT / "LICENSE", app / "LICENSE")


def archive(app: Path, out: Path, name: str) -> Path:
    """The app folder as ``out/name.tar.gz`` (``.zip`` on Windows), unpacking to a folder called ``name``."""
    out.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        target = out / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in sorted(app.rglob("*")):
                zf.write(path, Path(name) / path.relative_to(app))
        return target
    target = out / f"{name}.tar.gz"
    part = target.with_name(target.name + ".part")

    def owned_by_nobody(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(part, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=name, filter=owned_by_nobody)
    part.replace(target)
    return target


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _component(rel: Path) -> str:
    """What a file of the app belongs to, for the size table (a Qt library by name, a package by folder)."""
    parts = rel.parts[1:] if rel.parts[0] == "_internal" else rel.parts
    if len(rel.parts) == 1:
        return f"{rel.name}" + (" (the program: the launcher and every Python module)" if rel.name.startswith(
            "interviewkit") else "")
    if len(parts) == 1:
        name = parts[0]
        if name.startswith("libpython") or name == "base_library.zip":
            return "Python itself (libpython, base_library.zip)"
        return "system libraries (X11 and xcb, GLib, fontconfig, OpenSSL, SQLite, ...)"
    if parts[0].startswith("python3"):
        return "Python itself (standard library extension modules)"
    if parts[:3] == ("PySide6", "Qt", "lib"):
        return "Qt library " + re.sub(r"^lib|\.so.*$|\.dll$", "", parts[3])
    if parts[:3] == ("PySide6", "Qt", "plugins"):
        return f"Qt plugins/{parts[3]}"
    if parts[0] == "PySide6":
        return "PySide6 bindings (Python modules)"
    if parts[0].endswith(".libs"):
        return parts[0][: -len(".libs")] + " (bundled libraries)"
    return parts[0]


def size_report(app: Path, archive_path: Path, top: int = 20) -> str:
    """The app's size, the archive's, and the components that take the most space."""
    totals: dict[str, int] = {}
    for path in app.rglob("*"):
        if path.is_file() and not path.is_symlink():
            key = _component(path.relative_to(app))
            totals[key] = totals.get(key, 0) + path.stat().st_size
    whole = sum(totals.values())
    packed = archive_path.stat().st_size
    head = f"app folder {whole / 2**20:.1f} MiB, archive {packed / 2**20:.1f} MiB ({archive_path.name})"
    lines = [head, "largest parts of the folder:"]
    for key, size in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {size / 2**20:7.1f} MiB  {100 * size / whole:4.1f} %  {key}")
    return "\n".join(lines)


def build(out: Path, build_dir: Path) -> tuple[Path, Path]:
    """Icons, the frozen folder, the desktop files, the archive; returns (app folder, archive)."""
    name = f"InterviewKit-{version()}-{platform_tag()}"
    if build_dir.exists():
        shutil.rmtree(build_dir)
    icon = make_icons(build_dir / "icons")
    app = freeze(build_dir, icon)
    strip_debug_info(app)
    if sys.platform.startswith("linux"):
        add_desktop_files(app, build_dir / "icons")
    else:
        shutil.copyfile(ROOT / "LICENSE", app / "LICENSE")
    return app, archive(app, out, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the archive goes (default: dist/)")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "app",
                        help="PyInstaller's work and the app folder (default: build/app/; emptied first)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        app, packed = build(args.out.resolve(), args.build_dir.resolve())
    except BuildError as exc:
        sys.stderr.write(f"build_app: error: {exc}\n")
        return 2
    print(f"built {app} and {packed} in {time.monotonic() - start:.0f} s")
    print(size_report(app, packed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
