"""The stream copy of one output and its proof, run in a worker process: NAL-unit payload
digests, the packet log and its comparison, the hashing reader, the clock subtitles. Imports
nothing of the conversion room above it; PyAV loads with `worker`, not here."""

from workbench.conversion.remux.clock import cue_text
from workbench.conversion.remux.nal import NAL_CODECS, length_size, nal_units, payload_digest
from workbench.conversion.remux.proof import Difference, PacketLog, rescale
from workbench.conversion.remux.reader import HashingReader

__all__ = [
    "NAL_CODECS",
    "Difference",
    "HashingReader",
    "PacketLog",
    "cue_text",
    "length_size",
    "nal_units",
    "payload_digest",
    "rescale",
]
