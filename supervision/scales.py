"""The rating scales (好差评): the speeches' four levels 好 / 较好 / 一般 / 差, or the national
five levels 非常满意 … 非常不满意 (国办发〔2019〕51号, GB/T 39734-2020). A rating keeps the scale
it was given on, so changing the configured scale never changes a past rating's meaning.

Levels are numbers, the highest the best; a poor rating (差评) is the lowest level of the four,
or the lowest two of the five. Pure: no ORM."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    FOUR = "four", _("Four levels: good, fairly good, fair, poor (好 / 较好 / 一般 / 差)")
    FIVE = "five", _("Five levels: very satisfied … very dissatisfied (好差评)")


@dataclass(frozen=True)
class Level:
    value: int
    label: Promise
    poor: bool
    icon: str


LEVELS: dict[str, tuple[Level, ...]] = {
    Scale.FOUR: (
        Level(4, _("Good"), False, "emoji-laughing"),
        Level(3, _("Fairly good"), False, "emoji-smile"),
        Level(2, _("Fair"), False, "emoji-neutral"),
        Level(1, _("Poor"), True, "emoji-frown"),
    ),
    Scale.FIVE: (
        Level(5, _("Very satisfied"), False, "emoji-laughing"),
        Level(4, _("Satisfied"), False, "emoji-smile"),
        Level(3, _("Basically satisfied"), False, "emoji-neutral"),
        Level(2, _("Dissatisfied"), True, "emoji-frown"),
        Level(1, _("Very dissatisfied"), True, "emoji-angry"),
    ),
}


def levels_of(scale: str) -> tuple[Level, ...]:
    """The levels of ``scale``, best first; ValueError for an unknown scale."""
    try:
        return LEVELS[scale]
    except KeyError:
        raise ValueError(f"unknown rating scale {scale!r}") from None


def level_of(scale: str, value: int) -> Level:
    """The level ``value`` of ``scale``; ValueError when the scale has no such level."""
    for level in levels_of(scale):
        if level.value == value:
            return level
    raise ValueError(f"the {scale} scale has no level {value!r}")


def is_poor(scale: str, value: int) -> bool:
    """Whether ``value`` on ``scale`` is a poor rating (差评), which opens a rectification."""
    return level_of(scale, value).poor


def label_of(scale: str, value: int) -> str:
    """The level's words in the active language."""
    return str(level_of(scale, value).label)
