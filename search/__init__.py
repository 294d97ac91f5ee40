"""The full-text index of commitments."""
