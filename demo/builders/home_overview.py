"""The demo home page as an overview: the blocks of demo/data/home_overview.yaml above its text.

Safe to run again: a home page that shows the area cards already is left as it is.
"""

from demo import data
from demo.builders.home import ensure_locales
from demo.translation import translate
from home.models import HomePage


def build_home_overview(stdout=None) -> HomePage:
    """Put the overview blocks at the top of the German home page, publish it, and translate it."""
    spec = data.load("home_overview")
    site_data = data.load("site")
    german, english = ensure_locales()
    home = HomePage.objects.get(locale=german)
    if any(block.block_type == "area_cards" for block in home.body):
        return home
    for position, block in enumerate(data.stream(data.german(spec["blocks"]))):
        home.body.insert(position, block)
    home.save_revision().publish()
    translate(home, english, data.english([site_data["home"], site_data["home_pointers"], spec["blocks"]]))
    if stdout:
        stdout.write(spec["done"])
    return home
