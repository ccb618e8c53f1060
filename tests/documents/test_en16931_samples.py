"""The documents CI validates with CEN's EN 16931 Schematron are built and
valid against the Factur-X XSD here (the Schematron itself runs in
.ci/run, beside the repository, not in make test)."""

import pytest
from facturx import xml_check_xsd
from lxml import etree

from .en16931_samples import NAMES, build_samples

pytestmark = pytest.mark.django_db

NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def test_the_three_samples_are_built_and_xsd_valid(tmp_path):
    paths = build_samples(tmp_path)
    assert sorted(paths) == sorted(NAMES)
    rates = {}
    for name, path in paths.items():
        xml = path.read_bytes()
        assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
        root = etree.fromstring(xml)
        rates[name] = {
            node.text
            for node in root.xpath(
                "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
                "/ram:RateApplicablePercent",
                namespaces=NS,
            )
        }
        assert (tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
    assert rates["two-rate-invoice"] == {"20", "5.5"}
    credit = etree.fromstring(paths["partial-credit-note"].read_bytes())
    type_code = credit.xpath("//*[local-name()='ExchangedDocument']/ram:TypeCode", namespaces=NS)
    assert type_code[0].text == "381"
