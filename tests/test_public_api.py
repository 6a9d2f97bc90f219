"""``import aseankg`` exposes only its public API: the names in ``__all__`` (each defined), the
version and the package's own submodules; nothing imported for its own use."""

from __future__ import annotations

from types import ModuleType

import aseankg


def test_import_aseankg_exposes_only_the_public_api():
    public = {name for name, value in vars(aseankg).items()
              if not name.startswith("_") and not (isinstance(value, ModuleType)
                                                    and value.__name__.startswith("aseankg."))}
    assert public == set(aseankg.__all__)
    assert all(hasattr(aseankg, name) for name in aseankg.__all__)
    assert dir(aseankg) == sorted([*aseankg.__all__, "__version__"])
    assert isinstance(aseankg.__version__, str)


def test_openapi_lists_every_route(tmp_path):
    from aseankg.stores import open_store
    from aseankg.web import close_app, create_app
    from aseankg.web.describe import openapi_path

    store = open_store(tmp_path / "kg")
    app = create_app(store, workers=0)
    try:
        document = app.test_client().get("/openapi.json").json
        routes = {(openapi_path(rule.rule), method.lower()) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
        listed = {(path, method) for path, item in document["paths"].items() for method in item}
        assert listed == routes
        for path, item in document["paths"].items():
            for operation in item.values():
                assert operation["summary"], path
                named = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
                assert named == set(path.replace("}", "{").split("{")[1::2]), path
    finally:
        close_app(app)
        store.close()


def test_sources_csv_columns_are_documented():
    import csv

    from aseankg import settings

    folder = settings.ARTICLES_DIR
    with open(folder / "sources.csv", encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    documented = (folder / "README.md").read_text(encoding="utf-8")
    for column in header:
        assert f"| `{column}`" in documented, column
