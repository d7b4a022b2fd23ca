"""The forms of organisation names the report parser recognises, in several languages."""

import pytest

from citygraph.loaders.report.orgnames import kind_of


@pytest.mark.parametrize(("name", "kind"), [
    ("Universidad de Córdoba", "University"), ("Universidade do Porto", "University"),
    ("Università di Bologna", "University"), ("Université de Lyon", "University"),
    ("Port of Cartagena", "Port"), ("Cape Town Tech Hub", "Cluster"), ("Lisbon Innovation Hub", "Cluster"),
    ("Tampere Science Park", "Cluster"), ("Nagoya Chamber of Commerce", "Chamber"), ("Acme Ltd", "Company"),
])
def test_names_of_each_kind(name, kind):
    assert kind_of(name) == kind


@pytest.mark.parametrize("name", ["Cape Town", "Hub", "Bologna", "Science"])
def test_names_that_are_no_organisation(name):
    assert kind_of(name) is None
