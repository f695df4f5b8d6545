"""The stored zip64 archive: written front to back into its `.partial`, then checked from
the disk (a room of its own: it knows nothing of cases)."""
