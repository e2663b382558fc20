"""The admin as a browser sees it: the address of a model's admin page, and the values a
browser would submit from a rendered admin form."""

from html.parser import HTMLParser

from django.urls import reverse


def admin_url(model_or_obj, view: str = "changelist", *args) -> str:
    opts = model_or_obj._meta
    if view in {"change", "delete", "history"} and not args:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


class _FormFields(HTMLParser):
    """The values a browser would submit from the admin's model form, as rendered."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
            return
        name = attrs.get("name")
        if not name or "__prefix__" in name:
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value") or "on")
                else:
                    self.data.setdefault(name, [])
            else:
                self.data[name] = [attrs.get("value") or ""]
        elif tag == "select":
            self._select = name
            self.data[name] = []
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
            for name, values in self.data.items():
                # Django writes a newline after <textarea>, which browsers drop.
                if values and values[0].startswith("\n"):
                    self.data[name] = [values[0][1:]]


def form_data(client, url: str, **changes) -> dict:
    """The admin form at url as a browser would submit it, with changes applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items() if values}
    data.update({name: value for name, value in changes.items()})
    return data


def form_data_from(response, **changes) -> dict:
    """The values a browser would submit from the admin form in ``response`` (a form shown
    again with errors), with changes applied."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items() if values}
    data.update({name: value for name, value in changes.items()})
    return data
