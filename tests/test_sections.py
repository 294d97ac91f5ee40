from pathlib import Path

from corpus.models import DocumentMeta
from corpus.sections import load_document, section_eid, split_heading

FIXTURES = Path(__file__).parent / "fixtures" / "corpus" / "texts"
META = DocumentMeta("alpha-2014", "Healthier Riverside", ("Riverside Health Commission",), "2014-10-15")


def test_split_heading_reads_numbers_but_not_words():
    assert split_heading("3.2 Urgent care") == ("3.2", "Urgent care")
    assert split_heading("A shared agenda") == ("", "A shared agenda")
    assert split_heading("A. Annex on data") == ("A", "Annex on data")


def test_eids_follow_akoma_ntoso_and_stay_unique():
    taken: set[str] = set()
    assert section_eid("3.2", "x", 2, taken) == "sec_3__subsec_2"
    assert section_eid("", "Priority 4: Air", 1, taken) == "priority_4"
    assert section_eid("", "Building on it", 1, taken) == "sec_building-on-it"
    assert section_eid("", "Building on it", 1, taken) == "sec_building-on-it-2"


def test_sections_have_parents_and_page_ranges():
    doc = load_document(FIXTURES / "alpha-2014.md", META)
    by_eid = {s.eid: s for s in doc.sections}
    assert by_eid["sec_2__subsec_1"].parent == "sec_2"
    assert by_eid["sec_2"].page_start == 5 and by_eid["sec_2"].page_end == 6
    assert by_eid["sec_2"].priority_number == 1


def test_sentences_carry_offsets_into_the_text():
    doc = load_document(FIXTURES / "alpha-2014.md", META)
    for sentence in doc.sentences:
        assert doc.text[sentence.char_start:sentence.char_end] == sentence.text


def test_bullets_remember_their_lead_in():
    meta = DocumentMeta("beta-2016", "Next", ("Riverside Council",), "2016-03")
    doc = load_document(FIXTURES / "beta-2016.md", meta)
    bullets = [s for s in doc.sentences if s.lead_in]
    assert len(bullets) == 2
    assert all(b.lead_in == "We will:" for b in bullets)
