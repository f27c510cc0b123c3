"""Screenshots of the web UI's main pages for the docs (headless Chromium via Selenium).

    echolot demo                                   # or any analysed store
    echolot serve --port 8000 &
    python scripts/ui_screenshots.py http://127.0.0.1:8000 docs/img

Pages are picked from the store through the API (the largest story, a copy in it, the most
mentioned person), so the script works on any store; each PNG is 1280x800.
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait


def _api(base: str, path: str) -> Any:
    with urllib.request.urlopen(f"{base}/api/v1/{path}", timeout=30) as res:
        return json.load(res)


def _pages(base: str) -> dict[str, str]:
    """File name -> route (with "@selector" to scroll that element to the top)."""
    stories = _api(base, "stories?limit=50")["items"]
    story = max(stories, key=lambda s: (len(s.get("languages") or {}), s["size"]))
    copies = [a for s in stories for a in _api(base, f"stories/{s['id']}")["articles"] if a["role"] == "copy"]

    def changed(article: dict[str, Any]) -> bool:
        links = _api(base, f"articles/{article['id']}/trace")["links"]
        return any(r["op"] == "changed" for link in links if link["target"] == article["id"] for r in link["aligned"])

    # the article shot shows a copy whose aligned sentences have a word-level change, when there is one
    copy = next((a for a in copies if changed(a)), copies[0] if copies else _api(base, "articles?limit=1")["items"][0])
    person = _api(base, "entities?type=PER&limit=1")["items"][0]
    return {
        "home": "#/",
        "story": f"#/story/{story['id']}",
        "story-propagation": f"#/story/{story['id']}@#propagation",
        "article": f"#/article/{copy['id']}",
        "article-aligned": f"#/article/{copy['id']}@#aligned",
        "trace": f"#/trace/{copy['id']}",
        "entity": f"#/entity/{person['id']}",
        "quotes": "#/quotes",
        "narratives": "#/narratives",
        "search": "#/search?q=drones",
    }


def _shrink(path: Path) -> None:
    """Re-save with a 256-colour palette when Pillow is there (a third of the size, same look for a UI)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="server URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--hide-scrollbars", "--window-size=1280,800"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        # the viewport itself is 1280x800 (the window size would include the invisible browser frame)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        driver.get(args.base + "/")
        for name, target in _pages(args.base).items():
            route, _, anchor = target.partition("@")
            driver.execute_script("location.hash = arguments[0]", route)
            WebDriverWait(driver, 30).until(lambda d: d.execute_script(
                "const m = document.getElementById('app');"
                "return m.dataset.route === location.hash && m.getAttribute('aria-busy') === 'false'"))
            if anchor:
                driver.execute_script("const el = document.querySelector(arguments[0]);"
                                      "window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 70)", anchor)
            time.sleep(0.3)
            driver.save_screenshot(str(args.out / f"{name}.png"))
            _shrink(args.out / f"{name}.png")
            print(args.out / f"{name}.png")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
