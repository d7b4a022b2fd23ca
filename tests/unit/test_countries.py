"""Countries as real lists write them, blocs for any partner country, ids that keep every letter."""

from __future__ import annotations

import pytest

from citygraph.model.countries import country_code
from citygraph.model.vocabulary import bloc_of_country, slugify

AS_WRITTEN = {
    "ALBANIA": "AL", "Albania": "AL", "Turkey": "TR", "Russia": "RU", "Republic of Ireland": "IE",
    "England, United Kingdom": "GB", "Scotland, United Kingdom": "GB", "Wales": "GB", "Georgia (country)": "GE",
    "Ivory Coast": "CI", "Cape Verde": "CV", "Åland Islands, Finland": "AX", "Réunion, France": "RE",
    "Georgia, United States": "US", "España": "ES", "Royaume-Uni": "GB", "中国": "CN",
    "Congo, The Democratic Republic of the": "CD", "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF": "KP",
    "Kosovo": "XK", "Palestine": "PS", "Taiwan": "TW", "FR": "FR", "fra": "FR", "Deutschland": "DE",
    "Korea, Republic of": "KR", "South Korea": "KR", "Czech Republic": "CZ", "  China ": "CN", "Nowhere": None,
    "": None, "VR China": "CN", "P.R. China": "CN", "PRC": "CN", "Großbritannien": "GB", "Rep. of Korea": "KR",
    "Österreich": "AT", "Tschechien": "CZ", "UAE": "AE", "EE.UU.": "US",
}


@pytest.mark.parametrize("written", AS_WRITTEN)
def test_country_as_written(written):
    assert country_code(written) == AS_WRITTEN[written]


def test_blocs_are_europe_or_the_partner_country():
    europe = ["UA", "TR", "RS", "MD", "AD", "MC", "SM", "FR", "GB", "NO", "XK"]
    assert {bloc_of_country(c) for c in europe} == {"Europe"}
    assert [bloc_of_country(c) for c in ("CN", "IN", "JP", "ZA", "KR", "US", "BR")] == [
        "China", "India", "Japan", "South Africa", "South Korea", "United States", "Brazil"]


def test_europe_can_be_overridden(monkeypatch):
    from citygraph.model import countries

    monkeypatch.setenv("CITYGRAPH_EUROPE", "FR, DE")
    countries.europe.cache_clear()
    try:
        assert bloc_of_country("FR") == "Europe" and bloc_of_country("TR") == "Turkey"
    finally:
        monkeypatch.delenv("CITYGRAPH_EUROPE")
        countries.europe.cache_clear()


@pytest.mark.parametrize(("name", "slug"), [("Łódź", "lodz"), ("Straße", "strasse"), ("汕头", "shan-tou"),
                                            ("Málaga", "malaga"), ("West Midlands", "west-midlands"),
                                            ("Villeneuve-d'Ascq", "villeneuve-d-ascq")])
def test_ids_keep_every_letter(name, slug):
    assert slugify(name) == slug
