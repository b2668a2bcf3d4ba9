"""The one access-control module of MACE: every page, API and export asks it (C11).

Import from `mace.access.policy`.
"""
