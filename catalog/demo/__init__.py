"""The demo city of 江州市: a whole catalog to try the portal with.

``demo_city_load()`` writes it; the data live in ``organization`` (centers, departments,
windows, staff), ``guides`` (items written out in full) and ``items`` (one table per
department); ``allocation`` completes them so that they add up to the figures of the source
speech.
"""

from .builder import DEMO_PASSWORD, DemoCity, DemoLogin, demo_city_load

__all__ = ["DEMO_PASSWORD", "DemoCity", "DemoLogin", "demo_city_load"]
