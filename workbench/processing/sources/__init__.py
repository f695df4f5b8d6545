"""Sources: walking them into files to copy, and pinning each file from plan to read."""

from workbench.processing.sources.pinning import Pinned, check_unchanged, open_source
from workbench.processing.sources.walk import KINDS, SourceFile, kind_of, walk_source

__all__ = ["KINDS", "Pinned", "SourceFile", "check_unchanged", "kind_of", "open_source",
           "walk_source"]
