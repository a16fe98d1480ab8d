"""Where the GUI thread is during a stall: a sampler of its Python stack, for ``bench_screens.py --profile``.

A thread takes the GUI thread's stack (``sys._current_frames``) every millisecond and keeps the last few
seconds of samples with their times. When the screens benchmark's watchdog sees a gap longer than the
threshold, the samples taken inside the gap are counted by stack, under the operation that was running;
the threads that were not the GUI thread are counted too (by their innermost frame of this package), since
a GUI thread that waits for the interpreter lock shows only where it waits. At the end, the most frequent
stacks per operation are printed: each sample is about a millisecond of the stall.

The sampler needs the interpreter lock to take a sample, so it sees the GUI thread only between the
switches the interpreter makes (every ``sys.getswitchinterval()`` at most); a C++ call that keeps the
lock shows as the Python line that made it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter, deque
from types import FrameType

DEPTH = 40  # frames of the GUI thread's stack kept per sample (innermost first)
FOLDED = ("sqlalchemy", "sqlmodel", "<frozen importlib._bootstrap", "<frozen importlib._bootstrap_external>")


def _where(frame: FrameType | None, depth: int) -> tuple[str, ...]:
    """The stack, innermost first; runs of frames of one library (sqlalchemy, importlib) kept as their first."""
    out: list[str] = []
    while frame is not None and len(out) < depth:
        code = frame.f_code
        name = code.co_filename
        short = name.split("site-packages/")[-1].split("/src/")[-1]
        library = short.split("/")[0]
        if not (out and library in FOLDED and out[-1].startswith(library)):
            out.append(f"{short}:{frame.f_lineno} {code.co_name}")
        frame = frame.f_back
    return tuple(out)


def _ours(frame: FrameType | None) -> str:
    """The innermost frame of this package (or the innermost frame) of another thread."""
    first = None
    while frame is not None:
        code = frame.f_code
        if first is None:
            first = f"{code.co_filename.split('/')[-1]}:{code.co_name}"
        if "/interviewkit/" in code.co_filename:
            return f"{code.co_filename.split('/src/')[-1]}:{frame.f_lineno} {code.co_name}"
        frame = frame.f_back
    return first or "?"


class StallSampler:
    """Samples the GUI thread's stack; :meth:`stall` counts the samples of one gap under ``label``."""

    def __init__(self, interval: float = 0.001) -> None:
        self.gui = threading.main_thread().ident
        self.interval = interval
        self.samples: deque[tuple[float, tuple[str, ...], tuple[str, ...]]] = deque(maxlen=20_000)
        self.label = ""
        self.by_label: dict[str, Counter[tuple[str, ...]]] = {}
        self.others: dict[str, Counter[str]] = {}
        self.gaps: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.is_set():
            frames = sys._current_frames()  # the only way to see another thread's stack
            now = time.perf_counter()
            gui = frames.pop(self.gui, None)
            frames.pop(me, None)
            others = tuple(_ours(f) for f in frames.values())
            self.samples.append((now, _where(gui, DEPTH), others))
            del frames, gui
            time.sleep(self.interval)

    def stall(self, start: float, end: float) -> None:
        """Count the samples taken between ``start`` and ``end`` (a gap of the watchdog)."""
        stacks = self.by_label.setdefault(self.label, Counter())
        others = self.others.setdefault(self.label, Counter())
        self.gaps.setdefault(self.label, []).append(end - start)
        for at, stack, rest in list(self.samples):
            if start <= at <= end:
                stacks[stack] += 1
                others.update(rest)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1.0)

    def report(self, top: int = 8) -> str:
        lines: list[str] = []
        for label, stacks in self.by_label.items():
            gaps = self.gaps.get(label, [])
            total = sum(stacks.values())
            lines.append(f"== {label}: {len(gaps)} gaps, {sum(gaps) * 1e3:.0f} ms in all, {total} samples")
            for stack, n in stacks.most_common(top):
                lines.append(f"  {n:5d}  " + "\n         <- ".join(stack))
            rest = self.others.get(label, Counter())
            if rest:
                lines.append("  other threads: " + "; ".join(f"{w} x{n}" for w, n in rest.most_common(6)))
        return "\n".join(lines)
