"""Read a rendered admin form the way a browser submits it, so tests post exactly what users post."""

from bs4 import BeautifulSoup


def form_data(html: str, selector: str = "form[method=post]") -> dict[str, list[str]]:
    """The successful controls of the first form matching `selector`, name -> values (no buttons)."""
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    assert form is not None, f"no form matches {selector}"
    data: dict[str, list[str]] = {}
    for control in form.select("input[name], select[name], textarea[name]"):
        # Browsers submit neither disabled controls nor the formsets' empty forms kept in <template>.
        if control.has_attr("disabled") or control.find_parent("template") is not None:
            continue
        name = control["name"]
        if control.name == "input":
            kind = control.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not control.has_attr("checked"):
                continue
            data.setdefault(name, []).append(control.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif control.name == "select":
            chosen = [option.get("value", option.text) for option in control.select("option[selected]")]
            if not chosen and not control.has_attr("multiple"):
                first = control.select_one("option")
                chosen = [first.get("value", first.text)] if first else []
            data.setdefault(name, []).extend(chosen)
        else:
            data.setdefault(name, []).append(control.text)
    return data


def editor_form(html: str) -> dict[str, list[str]]:
    """The entry editor's form (Wagtail marks it with `data-edit-form`)."""
    return form_data(html, "form[data-edit-form]")
