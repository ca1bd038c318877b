"""Bulk builds without the garbage collector's churn.

Building a spreadsheet of thousands of rows allocates tens of thousands of small objects
that all live until the build ends, so every collection during it scans them and frees
nothing (bench/README.md: up to a third of an export's time). Collection resumes after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block (also a decorator). Other threads' pauses may
    overlap: whichever found the collector on turns it back on, so it never stays off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
