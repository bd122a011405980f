"""What a page must pass in the browser tests: axe-core finds no serious or critical
accessibility violation, and a phone never scrolls sideways.

axe-core (tests/e2e/vendor/axe.min.js, MPL-2.0) is vendored for the tests only; it never ships
with the site.
"""

from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Moderate and minor findings (a landmark's name, a redundant role) are worth a look but do not
# stop anyone from using the page; serious and critical ones do.
BLOCKING_IMPACTS = ("serious", "critical")
TARGETS_SHOWN = 3

RUN_AXE = """async (exclude) => {
  const context = exclude.length ? {include: [["html"]], exclude: exclude.map((s) => [s])} : document;
  const results = await axe.run(context, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def _inject_axe(page) -> None:
    # The site's Content-Security-Policy forbids inline script, and add_script_tag() injects the
    # file's content inline, so the browser would refuse it. An evaluation through the DevTools
    # protocol is not subject to the page's policy: axe runs with the policy left on, so the
    # pages are checked as they really render, and no bypass_csp context is needed.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {_axe_source()}\n}}")


def serious_violations(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """The page's serious and critical axe violations, one readable line each: the rule, what
    it asks for, the first few elements it found and what is wrong with the first.

    ``exclude``: CSS selectors of parts not checked (each caller says why)."""
    _inject_axe(page)
    found = []
    for violation in page.evaluate(RUN_AXE, list(exclude)):
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = ", ".join(violation["targets"][:TARGETS_SHOWN])
        more = len(violation["targets"]) - TARGETS_SHOWN
        if more > 0:
            targets += f" (+{more} more)"
        summary = " ".join(violation["summary"].split())
        found.append(
            f"{violation['id']} [{violation['impact']}] {violation['help']}: {targets} — {summary}"
        )
    return found


def assert_accessible(page) -> None:
    """No serious or critical axe violation on the page as it is now."""
    violations = serious_violations(page)
    assert violations == [], f"{page.url}\n" + "\n".join(violations)


def assert_no_sideways_scroll(page) -> None:
    """At the phone's width the page is no wider than the screen."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} is {scroll_width}px wide at a {width}px viewport: "
        + page.evaluate(WIDEST_ELEMENTS, width)
    )


# Which elements stick out, so that a failure names what to fix; elements inside a box that
# scrolls or clips by itself (the navigation strip, say) do not widen the page and are left out.
WIDEST_ELEMENTS = """(width) => {
  const clipped = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const element of document.querySelectorAll("body *")) {
    const right = element.getBoundingClientRect().right;
    if (right > width && !clipped(element)) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (element.classList.length ? "." + [...element.classList].join(".") : "");
      out.push(`${name} (right edge ${Math.round(right)}px)`);
    }
  }
  return out.slice(0, 8).join(", ");
}"""
