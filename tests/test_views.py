"""What the pages compose: here, the reference a commitment page offers to cite."""

from graph.catalog import CommitmentRow, DocumentSummary
from graph.views import citation


def document(publishers: str, issued: str = "2016-03", url: str = "https://example.org/plan.pdf") -> DocumentSummary:
    title = "Healthier Riverside: Next Steps"
    return DocumentSummary("urn:doc", "beta-2016", title, publishers, issued, "plan", url, 4)


def commitment(section: str = "2 Childhood obesity", page: int | None = 4) -> CommitmentRow:
    return CommitmentRow("urn:c", "c1", "We will act.", "commitment", "beta-2016", "Healthier Riverside: Next Steps",
                         section, page, "Riverside Council", "act", "", "", "will", 0.9)


def test_a_citation_names_publishers_year_title_section_page_and_address():
    assert citation(commitment(), document("Riverside Council; Riverside NHS")) == (
        "Riverside Council and Riverside NHS (2016) Healthier Riverside: Next Steps, section 2 Childhood obesity, "
        "p. 4. https://example.org/plan.pdf")


def test_a_citation_lists_many_publishers_and_leaves_out_what_is_not_known():
    cited = citation(commitment(section="", page=None), document("A; B; C", issued="", url=""))
    assert cited == "A, B and C Healthier Riverside: Next Steps."
    assert citation(commitment(), document("")).startswith("Unknown publisher (2016) ")
