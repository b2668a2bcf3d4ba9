"""The push and pull factors an episode records (seed 001): each once, sorted, and a code
that is not one of them refused with its name."""

import pytest
from django.core.exceptions import ValidationError

from mace.episodes.domain import clean_factors
from mace.episodes.factors import PUSH_PULL_CODES, PushPullFactor


def test_known_factors_are_kept_once_and_sorted():
    assert clean_factors(["gang", "peer_influence", "gang"]) == ["gang", "peer_influence"]
    assert clean_factors([]) == []
    assert {factor.value for factor in PushPullFactor} == PUSH_PULL_CODES


def test_an_unknown_factor_is_refused_by_its_code():
    with pytest.raises(ValidationError) as refused:
        clean_factors(["gang", "unhappy", "bored"])
    assert refused.value.message_dict == {
        "push_pull_factors": ["Unknown push or pull factor: bored, unhappy"]
    }
