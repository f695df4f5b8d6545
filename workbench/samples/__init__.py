"""The bundled sample export, for the README, the CLI demo and the notebooks."""

from workbench.samples.export import make_sample_evidence, sample_contents

__all__ = ["make_sample_evidence", "sample_contents"]
