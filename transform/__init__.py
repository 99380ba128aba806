"""Transform: extracted records to long pandas frames with canonical codes, and checks."""
