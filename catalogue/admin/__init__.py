"""The admin wing: viewsets, filters, forms, the quick report, the dashboard, the import view, hook registration.

May import `catalogue.models`, `catalogue.permissions`, `catalogue.imports` and `cms`; never
`catalogue.public`. Nothing outside the admin imports it but `catalogue.wagtail_hooks`.
"""
