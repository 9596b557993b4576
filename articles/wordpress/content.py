# TEMPORARY stub until helper's content.py merges (not committed)
from dataclasses import dataclass, field

import nh3


@dataclass
class ConvertedBody:
    html: str
    image_ids: set = field(default_factory=set)
    notes: list = field(default_factory=list)


def convert_post_content(raw, images):
    return ConvertedBody(nh3.clean(raw))
