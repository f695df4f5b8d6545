"""The platform seam: every call that differs between Linux, macOS and Windows lives here."""
