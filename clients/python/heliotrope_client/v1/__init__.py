"""Generated messages and stubs of the heliotrope.v1 API (see generate.py); do not edit."""
