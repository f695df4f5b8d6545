"""The ASC MHL format as this tool writes and reads it: the generation and entry types, and
their XML (hash lists in chunks, the chain file). Pure format: no file system, no locks;
`evidence.mhl` keeps the history on disk."""

from workbench.evidence.mhl_format.model import (
    CHAIN_FILE,
    MHL_DIR,
    MhlEntry,
    MhlGeneration,
    MhlProcess,
)
from workbench.evidence.mhl_format.xml_io import (
    MHL_HASH_FORMATS,
    chain_xml,
    hashlist_chunks,
    parse_chain,
)

__all__ = [
    "CHAIN_FILE", "MHL_DIR", "MHL_HASH_FORMATS", "MhlEntry", "MhlGeneration", "MhlProcess",
    "chain_xml", "hashlist_chunks", "parse_chain",
]
