"""The demo county Landkreis Lindenau: `load_demo`, `seed_catalogue` and the builders that read the demo's data files.

May import every app; nothing imports `demo`. Installed in development and tests, and in
production only when `DEMO_CONTENT` asks for it.
"""
