"""What makes a case folder's record prove itself: the identity of each verified file, the
digests of the record named by each generation and run report, the custody chain's check."""

from workbench.evidence.integrity.custody_chain import chain_problems
from workbench.evidence.integrity.identity import (
    Identity,
    identity_of,
    merge_identities,
    read_identities,
)
from workbench.evidence.integrity.record_digests import (
    RecordDigest,
    disagreements,
    record_digests,
    render_record_digests,
)

__all__ = ["Identity", "RecordDigest", "chain_problems", "disagreements", "identity_of",
           "merge_identities", "read_identities", "record_digests", "render_record_digests"]
