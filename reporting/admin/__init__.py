"""What the coordination and the departments use: the periods, closing them, and the dashboard panels.

May import `catalogue.models`, `catalogue.permissions`, the catalogue's admin helpers and this
app's models; registered by `reporting/wagtail_hooks.py`.
"""
