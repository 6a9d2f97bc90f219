"""The graph views in headless Chromium against a live ``aseankg serve`` on the seed articles: search
in both spellings lands on the same page, the AMM-58 participation shows with its evidence, the ego
network clicks through to a meeting, the timeline draws; screenshots are taken and checked, and no
request leaves 127.0.0.1."""

from __future__ import annotations

import struct
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import served

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 900}
SON = "/id/person/bui-thanh-son"


def launch(playwright):
    """Debian's Chromium, headless and without the network chatter of a first run (Playwright's
    ``sync_playwright()`` object in, a browser out; close it when done)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``aseankg serve`` on a new store (it builds the bundled articles), one worker; its stderr
    must hold no traceback."""
    with served(tmp_path_factory.mktemp("views-live") / "kg", "--workers", "1") as base:
        yield base


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def shoot(page, path: Path) -> None:
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path.name} is nearly empty"
    assert png_size(path) == (VIEWPORT["width"], VIEWPORT["height"])


def test_views_in_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server + "/")
            assert page.locator("#holdings").is_visible()
            shoot(page, tmp_path / "home.png")

            # search in both spellings: the first result is the same person's page
            landed = []
            for spelling in ["Bui Thanh Son", "Bùi Thanh Sơn"]:
                page.goto(server + "/")
                page.fill("#q", spelling)
                page.press("#q", "Enter")
                page.wait_for_selector("#search-results a")
                page.locator("#search-results a").first.click()
                page.wait_for_selector("#entity-label")
                landed.append(urllib.parse.urlparse(page.url).path)
            assert landed == [SON, SON]
            assert page.inner_text("#entity-label").strip() == "Bui Thanh Son"

            # the AMM-58 participation with the sentence that states it
            group = page.locator("#in-akg-participant")
            fact = group.locator("li.fact", has_text="58th ASEAN Foreign Ministers' Meeting (HeadOfDelegation)")
            assert fact.count() == 1
            sentence = fact.locator("blockquote.sentence").first
            assert sentence.is_visible()
            assert "will lead the Vietnamese delegation" in sentence.inner_text()
            assert "Báo Quốc Tế" in fact.inner_text()
            shoot(page, tmp_path / "person.png")

            # the ego network: SVG links; a meeting node leads to the meeting's page
            assert page.locator("svg.ego a.node").count() > 5
            node = page.locator('svg.ego a.node[data-type="Meeting"]').first
            href = node.get_attribute("href")
            assert href.startswith("/id/meeting/")
            node.scroll_into_view_if_needed()
            node.locator("circle").click()
            page.wait_for_url(server + href)
            assert page.locator("#entity-label").is_visible()
            assert page.locator("svg.ego").is_visible()
            page.locator("#ego").scroll_into_view_if_needed()
            shoot(page, tmp_path / "meeting.png")

            # the timeline: one row per series, linked marks
            page.goto(server + "/timeline")
            assert page.locator("svg.timeline a.mark").count() >= 5
            assert page.locator('svg.timeline a.mark[href="/id/meeting/amm-58"]').count() == 1
            shoot(page, tmp_path / "timeline.png")
            page.goto(server + "/timeline?country=MYS&year=2025")
            assert page.locator('svg.timeline a.mark[href="/id/meeting/amm-58"]').count() == 1
        finally:
            browser.close()
    off_host = [u for u in requests
                if not u.startswith("data:") and urllib.parse.urlparse(u).hostname != "127.0.0.1"]
    assert requests and not off_host


#: Pages checked at desktop and phone width.
PAGES = {"home": "/", "person": SON, "meeting": "/id/meeting/amm-58", "timeline": "/timeline",
         "search": "/search?q=asean", "sparql": "/sparql", "ontology": "/ontology"}
#: Elements sticking out past the viewport, outside the containers that scroll on purpose.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-wrap, .svg-wrap, pre'))
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_pages_have_one_nav_and_fit_the_width(server, tmp_path, width, height):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in PAGES.items():
                page.goto(server + path)
                assert page.locator("nav").count() == 1, name
                assert page.locator("#q").is_visible(), name  # search from every page
                assert page.evaluate(TOO_WIDE) == [], name
                assert page.evaluate("document.documentElement.scrollWidth") <= width, name
                page.screenshot(path=str(tmp_path / f"{name}-{width}.png"))
                assert png_size(tmp_path / f"{name}-{width}.png") == (width, height)
            # what the graph holds leads with meetings, then people and countries; mentions come last
            page.goto(server + "/")
            kinds = [t.strip() for t in page.locator("#holdings tbody tr td:first-child").all_inner_texts()]
            assert kinds[0] in ("Summit", "MinisterialMeeting", "SeniorOfficialsMeeting", "Retreat", "Forum")
            assert kinds.index("Person") < kinds.index("Country") < kinds.index("Place") < kinds.index("Mention")
            assert "counts twice" in page.inner_text("#holdings")
        finally:
            browser.close()


#: Edge labels whose box meets the centre node's label or circle, by their text.
OVER_CENTRE = """() => {
  const svg = document.querySelector('svg.ego');
  const centre = [...svg.querySelectorAll('a.center text, a.center circle')].map(e => e.getBoundingClientRect());
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return [...svg.querySelectorAll('text.edge-label')].filter(t => centre.some(c => meets(t.getBoundingClientRect(), c)))
    .map(t => t.textContent);
}"""
#: Pairs of texts of the ego network (node and edge labels) whose boxes overlap, by their text.
OVERLAPPING = """() => {
  const texts = [...document.querySelectorAll('svg.ego text')].filter(t => !t.closest('.legend'))
    .map(t => [t.textContent, t.getBoundingClientRect()]);
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const pairs = [];
  texts.forEach(([s, a], i) => texts.slice(i + 1).forEach(([t, b]) => { if (meets(a, b)) pairs.push([s, t]); }));
  return pairs;
}"""
#: Timeline texts that stick out of their SVG, or are cut short without the full text on hover.
TIMELINE_CUT = """() => [...document.querySelectorAll('svg.timeline')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect();
    const cut = t.textContent.includes('…') && !t.querySelector('title') && !t.closest('a')?.querySelector('title');
    return r.left < box.left - 1 || r.right > box.right + 1 || cut;
  }).map(t => t.textContent);
})"""


def test_ego_labels_clear_the_centre_and_each_other_and_timeline_labels_fit(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            for path in (SON, "/id/meeting/amm-58", "/id/country/VNM"):
                page.goto(server + path)
                assert page.locator("svg.ego text.edge-label").count() > 0, path
                assert page.evaluate(OVER_CENTRE) == [], path
                assert page.evaluate(OVERLAPPING) == [], path  # Viet Nam's 43 neighbours too
            page.goto(server + "/timeline")
            assert page.evaluate(TIMELINE_CUT) == []
        finally:
            browser.close()
