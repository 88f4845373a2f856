"""The public wing: list, entry, goal and overview views, facets, exports, feeds, template tags.

May import `catalogue.models`, `catalogue.imports` (the format of the exports) and `cms`; never
`catalogue.admin` or `catalogue.permissions`.
"""
