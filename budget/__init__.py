"""The product budget (Produkthaushalt): products, yearly figures, key figures, and their links to goals and entries.

An app of its own (docs/decisions/0005-budget-app.md): it reads the catalogue through its models
and public helpers and extends its pages through template tags and a registered facet; nothing
in `catalogue`, `home` or `cms` imports it (except `cms.urls`, which mounts its report).
"""
