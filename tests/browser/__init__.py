"""Tests that drive the Jupyter face of reslens in a real (headless) Chromium."""
