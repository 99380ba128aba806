"""Rendering of the warehouse quality report (pure: frames in, HTML out)."""
