"""The timeline video's pictures and its render in a worker process (PyAV, Pillow, NumPy load
with `worker`, not here)."""

from workbench.conversion.render.job import Lane, RenderJob, RenderResult, TileClip

__all__ = ["Lane", "RenderJob", "RenderResult", "TileClip"]
