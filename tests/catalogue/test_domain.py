"""desk.catalogue.domain: the catalogue's plain objects."""

from __future__ import annotations

from dataclasses import replace

from desk.catalogue.domain import shape_key


def test_variants_alike_but_for_their_guarantee_do_not_share_a_shape(loaded_catalogue):
    # Pricing reads the guarantee (a guaranteed fund without a fee is ranked at the highest fee):
    # variants sharing a shape share their pricing, so the guarantee is part of the shape.
    variant = next(v for v in loaded_catalogue.catalogue.variants if v.guarantee == "required")
    unguaranteed = replace(variant, guarantee="none")
    assert shape_key(variant) != shape_key(unguaranteed)
    # What pricing does not read stays out.
    assert shape_key(variant) == shape_key(replace(variant, program_name="別名"))
