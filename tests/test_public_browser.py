"""The public page in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`), driven with Selenium, against the app served on loopback.

Selenium is pointed at the system's browser and driver, so Selenium Manager downloads nothing.
A screenshot is saved on failure, and one on success, under BROWSER_ARTIFACTS (default: the
test's tmp dir); the path is printed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CALL_FAILED
from test_events_e2e import FUTURE, register

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason=f"needs {CHROMIUM} and {CHROMEDRIVER}: apt-get install -y chromium chromium-driver",
)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=412,915",
    ):  # a phone's size
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


@pytest.fixture
def screenshots(browser, request, tmp_path):
    """Saves what the browser shows at the end of the test: `<test>-failed.png` or `<test>.png`."""
    folder = Path(os.environ.get("BROWSER_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    failed = request.node.stash.get(CALL_FAILED, True)
    path = folder / f"{request.node.name}{'-failed' if failed else ''}.png"
    browser.save_screenshot(str(path))
    print(f"screenshot: {path}")


# The map's tiles would come from the internet: a closed loopback port answers at once.
NO_TILES = {"MAP_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"}


@pytest.mark.parametrize("extra_env", [NO_TILES])
def test_a_visitor_searches_by_zip_and_sees_the_list_and_the_markers(bot, browser, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    register(bot)  # Modesto, CA 95356
    register(
        bot,
        {
            **FUTURE,
            "Title": "Denver vigil",
            "Type": "Prayer vigil",
            "City": "Denver",
            "State": "CO",
            "ZIP code": "80202",
        },
    )
    browser.get(bot.url.removesuffix("/slack/events") + "/events")
    assert _listed(browser) == [FUTURE["Title"], "Denver vigil"]
    assert sorted(_markers(browser)) == sorted(_listed(browser))  # every listed event on the map

    Select(browser.find_element(By.ID, "radius")).select_by_visible_text("Within 25 miles")
    field = browser.find_element(By.ID, "near")
    field.send_keys("95354", Keys.ENTER)  # the keyboard alone submits the search
    _wait(browser, lambda b: "near=95354" in b.current_url)
    assert browser.find_element(By.ID, "list-heading").text == "Events within 25 miles of 95354"
    assert _listed(browser) == [FUTURE["Title"]]
    assert "mi away" in browser.find_element(By.CSS_SELECTOR, "ol.events li").text
    assert _markers(browser) == [FUTURE["Title"]]
    browser.find_element(By.CSS_SELECTOR, ".leaflet-marker-icon").click()
    popup = _wait(
        browser, lambda b: [a for a in b.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content a") if a.text]
    )[0]
    assert popup.text == FUTURE["Title"] and popup.get_attribute("href").endswith("/events/1")


def _wait(browser, condition):
    """What `condition` returns once it is true: pages load, and the map draws, after the action that asked."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 10).until(condition)


def _markers(browser) -> list[str]:
    """The titles of the map's markers, once the map is drawn (map.js runs after the page loads)."""
    from selenium.webdriver.common.by import By

    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#map .leaflet-marker-icon"))
    assert browser.find_element(By.ID, "map").is_displayed()
    return [m.get_attribute("title") for m in browser.find_elements(By.CSS_SELECTOR, "#map .leaflet-marker-icon")]


@pytest.mark.parametrize("extra_env", [NO_TILES])
def test_a_visitor_filters_the_events_and_opens_one(bot, browser, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    register(bot)
    register(
        bot,
        {
            **FUTURE,
            "Title": "Denver vigil",
            "Type": "Prayer vigil",
            "City": "Denver",
            "State": "CO",
            "ZIP code": "80202",
        },
    )
    browser.get(bot.url.removesuffix("/slack/events") + "/events")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Find an event near you"
    assert _listed(browser) == [FUTURE["Title"], "Denver vigil"]

    Select(browser.find_element(By.ID, "state")).select_by_visible_text("Colorado")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(browser, lambda b: "state=CO" in b.current_url)
    assert _listed(browser) == ["Denver vigil"]

    browser.find_element(By.LINK_TEXT, "Denver vigil").click()
    _wait(browser, lambda b: b.current_url.endswith("/events/2"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Denver vigil"
    assert browser.find_element(By.LINK_TEXT, "Calendar file (.ics)").get_attribute("href").endswith("/events/2.ics")


@pytest.mark.parametrize("extra_env", [NO_TILES])
def test_a_visitor_switches_to_spanish_and_the_site_and_its_map_stay_in_spanish(bot, browser, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    register(bot)
    register(
        bot,
        {
            **FUTURE,
            "Title": "Denver vigil",
            "Type": "Prayer vigil",
            "City": "Denver",
            "State": "CO",
            "ZIP code": "80202",
        },
    )
    browser.get(bot.url.removesuffix("/slack/events") + "/events")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"  # Chromium's own language
    browser.find_element(By.LINK_TEXT, "Español").click()
    _wait(browser, lambda b: "lang=es" in b.current_url)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Encuentra un evento cerca de ti"
    _markers(browser)
    zoom_in = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-zoom-in")
    assert (zoom_in.get_attribute("title"), zoom_in.get_attribute("aria-label")) == ("Acercar", "Acercar")
    assert browser.find_element(By.CSS_SELECTOR, ".leaflet-control-zoom-out").get_attribute("title") == "Alejar"
    credit = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution a[href='https://leafletjs.com']")
    assert (
        credit.get_attribute("title") == "Una biblioteca de JavaScript para mapas interactivos"
        and "Leaflet" in credit.text
    )
    browser.find_element(By.CSS_SELECTOR, ".leaflet-marker-icon").click()
    close = _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".leaflet-popup-close-button"))[0]
    assert close.get_attribute("aria-label") == "Cerrar ventana emergente"

    Select(browser.find_element(By.ID, "state")).select_by_visible_text("Colorado")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()  # "Mostrar eventos"
    _wait(browser, lambda b: "state=CO" in b.current_url)
    assert "lang=es" in browser.current_url and _listed(browser) == ["Denver vigil"]
    browser.find_element(By.LINK_TEXT, "Denver vigil").click()
    _wait(browser, lambda b: "/events/2" in b.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "dl.facts dt").text == "Cuándo"
    browser.find_element(By.LINK_TEXT, "English").click()
    _wait(browser, lambda b: "lang=en" in b.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "dl.facts dt").text == "When"


def _listed(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    return [link.text for link in browser.find_elements(By.CSS_SELECTOR, "ol.events h3 a")]


AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"  # from the npm registry, MPL-2.0


@pytest.mark.parametrize("extra_env", [NO_TILES])
@pytest.mark.parametrize(
    "path",
    [
        "/events",
        "/events?type=parade&near=95354",
        "/events/1",
        "/events/99",
        "/campaigns/we-are-all-america",
        "/events?lang=es",
        "/events/1?lang=es",
    ],
)
def test_the_pages_pass_axes_accessibility_checks(bot, browser, screenshots, path):
    """Deque's axe-core in the page, map drawn: labels, names, landmarks, headings, contrast (WCAG 2.1 AA)."""
    register(bot, {**FUTURE, "Campaign": "We Are All America Day of Congressional Action"})
    browser.get(bot.url.removesuffix("/slack/events") + path)
    browser.execute_script(AXE.read_text())
    results = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}).then(done);"
    )
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]
    assert problems == []
    assert len(results["passes"]) > 10  # it did check the page
