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
