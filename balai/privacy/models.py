"""Models of the privacy app (UU 27/2022 PDP)."""
